package agentfabric.samples.research_test

import data.agentfabric.samples.research

frontend := "spiffe://example.org/ns/ui/sa/frontend"

researcher := "spiffe://example.org/ns/agents/sa/researcher"

writer := "spiffe://example.org/ns/agents/sa/writer"

user := {"sub": "demo", "scopes": ["openid", "profile"]}

# A call from caller to callee with the given chain (nearest actor first) for the demo user.
call(caller, callee, chain) := {
	"caller": {"spiffe_id": caller, "trust_domain": "example.org"},
	"user": user,
	"delegation": [{"spiffe_id": id} | some id in chain],
	"action": "research.run",
	"resource": {"type": "agent", "id": callee},
}

# A call without an exchanged token: no user, no chain.
bare(caller, callee) := object.remove(call(caller, callee, []), ["user"])

test_frontend_may_call_researcher_for_user if research.allow with input as call(frontend, researcher, [frontend])

test_researcher_may_call_writer_for_user if research.allow with input as call(researcher, writer, [researcher, frontend])

test_frontend_may_not_call_writer if not research.allow with input as bare(frontend, writer)

test_frontend_may_not_call_writer_even_with_user if not research.allow with input as call(frontend, writer, [frontend])

test_researcher_without_user_denied if not research.allow with input as bare(frontend, researcher)

test_writer_without_user_denied if not research.allow with input as bare(researcher, writer)

test_writer_may_not_call_researcher if not research.allow with input as call(writer, researcher, [writer])

test_chain_must_start_at_frontend if not research.allow with input as call(researcher, writer, [researcher])

test_chain_nearest_must_be_caller if not research.allow with input as call(researcher, writer, [frontend, researcher])

test_chain_no_repeats if not research.allow with input as call(researcher, writer, [researcher, researcher, frontend])

test_other_trust_domain_caller_denied if not research.allow with input as call("spiffe://evil.org/ns/ui/sa/frontend", researcher, ["spiffe://evil.org/ns/ui/sa/frontend"])

test_unknown_callee_denied if not research.allow with input as call(frontend, "spiffe://example.org/ns/agents/sa/other", [frontend])

test_any_trust_domain_works if research.allow with input as {
	"caller": {"spiffe_id": "spiffe://acme.test/ns/ui/sa/frontend", "trust_domain": "acme.test"},
	"user": user,
	"delegation": [{"spiffe_id": "spiffe://acme.test/ns/ui/sa/frontend"}],
	"action": "research.run",
	"resource": {"type": "agent", "id": "spiffe://acme.test/ns/agents/sa/researcher"},
}

ask_input := {
	"caller": {"spiffe_id": frontend, "trust_domain": "example.org"},
	"user": user,
	"delegation": [],
	"action": "research.ask",
	"resource": {"type": "frontend", "id": frontend},
}

test_signed_in_person_may_ask if research.ask with input as ask_input

test_ask_needs_user if not research.ask with input as object.remove(ask_input, ["user"])

test_ask_only_for_ask_action if not research.ask with input as object.union(ask_input, {"action": "research.run"})

test_reasons_frontend_to_writer if research.reasons == {"caller not allowed", "no signed-in user"} with input as bare(frontend, writer)

test_reasons_bad_chain if research.reasons == {"delegation chain refused"} with input as call(researcher, writer, [researcher])

test_no_reasons_when_allowed if count(research.reasons) == 0 with input as call(researcher, writer, [researcher, frontend])
