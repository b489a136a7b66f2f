package agentfabric.examples.research_test

import data.agentfabric.examples.research

frontend := "spiffe://example.org/ns/ui/sa/frontend"

researcher := "spiffe://example.org/ns/agents/sa/researcher"

writer := "spiffe://example.org/ns/agents/sa/writer"

call(caller, callee) := {
	"caller": {"spiffe_id": caller, "trust_domain": "example.org"},
	"delegation": [],
	"action": "invoke",
	"resource": {"type": "agent", "id": callee},
}

# frontend → researcher on behalf of alice.
first_hop := object.union(call(frontend, researcher), {
	"user": {"sub": "alice", "scopes": ["report"]},
	"delegation": [{"spiffe_id": frontend, "scopes": ["report", "search"]}],
})

# researcher → writer, continuing the chain.
second_hop := object.union(call(researcher, writer), {
	"user": {"sub": "alice", "scopes": ["report"]},
	"delegation": [
		{"spiffe_id": researcher, "scopes": ["report"]},
		{"spiffe_id": frontend, "scopes": ["report", "search"]},
	],
})

test_frontend_may_call_researcher if research.allow with input as call(frontend, researcher)

test_researcher_may_call_writer if research.allow with input as call(researcher, writer)

test_frontend_may_not_call_writer if not research.allow with input as call(frontend, writer)

test_writer_may_not_call_researcher if not research.allow with input as call(writer, researcher)

test_unknown_callee_denied if not research.allow with input as call(frontend, "spiffe://example.org/ns/agents/sa/other")

test_other_trust_domain_denied if not research.allow with input as call("spiffe://evil.org/ns/ui/sa/frontend", researcher)

test_first_hop_with_user if research.allow with input as first_hop

test_second_hop_with_user if research.allow with input as second_hop

test_chain_without_user_denied if not research.allow with input as object.remove(second_hop, ["user"])

test_chain_not_starting_at_frontend_denied if not research.allow with input as object.union(second_hop, {"delegation": [
	{"spiffe_id": researcher, "scopes": ["report"]},
	{"spiffe_id": writer, "scopes": ["report", "search"]},
]})

test_widened_scope_denied if not research.allow with input as object.union(second_hop, {"user": {"sub": "alice", "scopes": ["report", "admin"]}})

test_nearest_actor_must_be_caller if not research.allow with input as object.union(second_hop, {"delegation": [{"spiffe_id": frontend, "scopes": ["report"]}]})

test_reasons_for_denied_caller if research.reasons == {"caller not allowed"} with input as call(frontend, writer)

test_no_reasons_when_allowed if count(research.reasons) == 0 with input as second_hop
