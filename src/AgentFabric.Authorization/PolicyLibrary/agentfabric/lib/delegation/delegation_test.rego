package agentfabric.lib.delegation_test

import data.agentfabric.lib.delegation

frontend := "spiffe://example.org/ns/ui/sa/frontend"

researcher := "spiffe://example.org/ns/agents/sa/researcher"

writer := "spiffe://example.org/ns/agents/sa/writer"

follows := {
	researcher: [frontend],
	writer: [researcher],
}

# writer is called by researcher on behalf of frontend on behalf of alice.
chain := {
	"caller": {"spiffe_id": researcher},
	"user": {"sub": "alice"},
	"delegation": [{"spiffe_id": researcher}, {"spiffe_id": frontend}],
}

test_depth if delegation.depth == 2 with input as chain

test_within_max_depth if delegation.within_max_depth(2) with input as chain

test_beyond_max_depth if not delegation.within_max_depth(1) with input as chain

test_no_repeats if delegation.no_repeats with input as chain

test_agent_twice_is_a_repeat if not delegation.no_repeats with input as {"delegation": [{"spiffe_id": researcher}, {"spiffe_id": frontend}, {"spiffe_id": researcher}]}

test_nearest_is_caller if delegation.nearest_is_caller with input as chain

test_nearest_is_not_caller if not delegation.nearest_is_caller with input as object.union(chain, {"caller": {"spiffe_id": writer}})

test_no_chain_nearest_is_caller if delegation.nearest_is_caller with input as {"caller": {"spiffe_id": frontend}, "delegation": []}

test_origin_allowed if delegation.origin_allowed([frontend]) with input as chain

test_origin_not_allowed if not delegation.origin_allowed([researcher]) with input as chain

test_origin_of_empty_chain_is_undefined if not delegation.origin_allowed([frontend]) with input as {"delegation": []}

test_started_by_user if delegation.started_by_user with input as chain

test_not_started_by_user if not delegation.started_by_user with input as {"delegation": [{"spiffe_id": frontend}]}

test_started_by if delegation.started_by({"alice", "bob"}) with input as chain

test_not_started_by if not delegation.started_by({"bob"}) with input as chain

test_order_allowed if delegation.order_allowed(follows) with input as chain

test_single_actor_order_allowed if delegation.order_allowed(follows) with input as {"delegation": [{"spiffe_id": frontend}]}

test_empty_chain_order_allowed if delegation.order_allowed(follows) with input as {"delegation": []}

test_writer_may_not_follow_frontend if not delegation.order_allowed(follows) with input as {"delegation": [{"spiffe_id": writer}, {"spiffe_id": frontend}]}

test_researcher_may_not_follow_writer if not delegation.order_allowed(follows) with input as {"delegation": [{"spiffe_id": researcher}, {"spiffe_id": writer}, {"spiffe_id": frontend}]}
