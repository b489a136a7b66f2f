# The research agents' policy (seed 004's trust policy) on the data.agentfabric library. Each agent asks it about its
# own callers: input.resource.id is the agent deciding, input.caller the mTLS peer, input.user and input.delegation
# come from the exchanged token (RFC 8693 act claims, nearest actor first).
#   allow: the researcher may be called by the frontend only, the writer by the researcher only, and only for a
#          signed-in user whose chain started at the frontend and went frontend → researcher → writer.
#   ask:   the frontend lets a signed-in person ask a question.
# The agents' SPIFFE IDs are in the deciding agent's own trust domain, so the policy works for any trust domain.
package agentfabric.samples.research

import data.agentfabric.lib.delegation
import data.agentfabric.lib.spiffe

trust_domain := spiffe.trust_domain(input.resource.id)

frontend := sprintf("spiffe://%s/ns/ui/sa/frontend", [trust_domain])

researcher := sprintf("spiffe://%s/ns/agents/sa/researcher", [trust_domain])

writer := sprintf("spiffe://%s/ns/agents/sa/writer", [trust_domain])

# Who may call whom.
allowed_callers := {
	researcher: [frontend],
	writer: [researcher],
}

# Which actor may follow which in the delegation chain.
follows := {
	researcher: [frontend],
	writer: [researcher],
}

default allow := false

allow if {
	input.resource.type == "agent"
	spiffe.caller_allowed(allowed_callers[input.resource.id])
	signed_in_chain
}

# The call is made for a person: an exchanged token with a user, whose chain starts at the frontend, ends at the
# caller, never repeats an agent and is at most two actors deep.
signed_in_chain if {
	delegation.started_by_user
	delegation.depth > 0
	delegation.nearest_is_caller
	delegation.within_max_depth(2)
	delegation.no_repeats
	delegation.origin_allowed([frontend])
	delegation.order_allowed(follows)
}

default ask := false

ask if {
	input.action == "research.ask"
	input.resource.id == frontend
	input.user.sub != ""
}

# Why a call was denied, for logs.
reasons contains "caller not allowed" if not spiffe.caller_allowed(object.get(allowed_callers, input.resource.id, []))

reasons contains "no signed-in user" if not delegation.started_by_user

reasons contains "delegation chain refused" if {
	delegation.started_by_user
	not signed_in_chain
}
