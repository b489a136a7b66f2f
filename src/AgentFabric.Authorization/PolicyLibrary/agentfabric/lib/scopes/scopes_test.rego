package agentfabric.lib.scopes_test

import data.agentfabric.lib.scopes

narrowed := {
	"user": {"sub": "alice", "scopes": ["report:write"]},
	"delegation": [
		{"spiffe_id": "spiffe://example.org/ns/agents/sa/researcher", "scopes": ["report:write", "search"]},
		{"spiffe_id": "spiffe://example.org/ns/ui/sa/frontend", "scopes": ["report:write", "search", "profile"]},
	],
}

test_has_scope if scopes.has("report:write") with input as narrowed

test_has_not_scope if not scopes.has("search") with input as narrowed

test_narrowing if scopes.narrowing with input as narrowed

test_equal_scopes_narrow if scopes.narrowing with input as {
	"user": {"scopes": ["a"]},
	"delegation": [{"scopes": ["a"]}, {"scopes": ["a"]}],
}

test_hop_widening_is_refused if not scopes.narrowing with input as {
	"user": {"scopes": ["a"]},
	"delegation": [{"scopes": ["a", "admin"]}, {"scopes": ["a"]}],
}

test_token_widening_is_refused if not scopes.narrowing with input as {
	"user": {"scopes": ["a", "admin"]},
	"delegation": [{"scopes": ["a"]}],
}

test_hop_without_scopes_is_refused if not scopes.narrowing with input as {
	"user": {"scopes": []},
	"delegation": [{"spiffe_id": "spiffe://example.org/a"}],
}

test_no_chain_narrows if scopes.narrowing with input as {"user": {"scopes": ["a"]}, "delegation": []}
