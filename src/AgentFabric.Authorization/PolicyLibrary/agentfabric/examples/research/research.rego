# Seed 004's trust policy on the AgentFabric library: the researcher may be called by the frontend, the writer by
# the researcher; a chain starts at the frontend on behalf of a logged-in user, is at most two actors deep, never
# repeats an agent, and narrows scopes at each hop. The callee is input.resource.id (resource type "agent").
package agentfabric.examples.research

import data.agentfabric.lib.delegation
import data.agentfabric.lib.scopes
import data.agentfabric.lib.spiffe

frontend := "spiffe://example.org/ns/ui/sa/frontend"

researcher := "spiffe://example.org/ns/agents/sa/researcher"

writer := "spiffe://example.org/ns/agents/sa/writer"

# Who may call whom (seed 004, "Trust Policy").
allowed_callers := {
	researcher: [frontend],
	writer: [researcher],
}

# Which actor may follow which in a delegation chain.
follows := {
	researcher: [frontend],
	writer: [researcher],
}

default allow := false

allow if {
	input.resource.type == "agent"
	spiffe.caller_allowed(allowed_callers[input.resource.id])
	chain_ok
}

# A call without an exchanged token carries no chain and no user: the caller rule alone decides.
chain_ok if {
	delegation.depth == 0
	not input.user
}

chain_ok if {
	delegation.depth > 0
	delegation.started_by_user
	delegation.nearest_is_caller
	delegation.within_max_depth(2)
	delegation.no_repeats
	delegation.origin_allowed([frontend])
	delegation.order_allowed(follows)
	scopes.narrowing
}

# Why a call was denied, for logs and the frontend's trail.
reasons contains "caller not allowed" if not spiffe.caller_allowed(object.get(allowed_callers, input.resource.id, []))

reasons contains "delegation chain refused" if not chain_ok
