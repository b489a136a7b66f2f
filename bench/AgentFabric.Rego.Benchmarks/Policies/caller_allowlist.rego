# Seed 004's trust policy: each agent names the SPIFFE IDs allowed to call it (researcher <- frontend,
# writer <- researcher); anything else is rejected.
package agents.authz

import rego.v1

default allow := false

allowed_callers := {
	"spiffe://example.org/ns/agents/sa/researcher": {"spiffe://example.org/ns/ui/sa/frontend"},
	"spiffe://example.org/ns/agents/sa/writer": {"spiffe://example.org/ns/agents/sa/researcher"},
}

allow if input.caller in allowed_callers[input.callee]
