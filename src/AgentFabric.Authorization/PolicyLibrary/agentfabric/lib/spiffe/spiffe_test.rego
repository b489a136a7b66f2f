package agentfabric.lib.spiffe_test

import data.agentfabric.lib.spiffe

frontend := "spiffe://example.org/ns/ui/sa/frontend"

researcher := "spiffe://example.org/ns/agents/sa/researcher"

test_exact_pattern_matches if spiffe.matches(frontend, frontend)

test_star_matches_one_segment if spiffe.matches(researcher, "spiffe://example.org/ns/*/sa/researcher")

test_star_does_not_cross_segments if not spiffe.matches(researcher, "spiffe://example.org/*/sa/researcher")

test_double_star_crosses_segments if spiffe.matches(researcher, "spiffe://example.org/ns/**")

test_other_trust_domain_does_not_match if not spiffe.matches("spiffe://evil.org/ns/ui/sa/frontend", "spiffe://example.org/**")

test_prefix_is_not_a_match if not spiffe.matches("spiffe://example.org/ns/ui/sa/frontend-2", frontend)

test_matches_any if spiffe.matches_any(researcher, ["spiffe://example.org/ns/ui/**", "spiffe://example.org/ns/agents/**"])

test_matches_any_empty_list_denies if not spiffe.matches_any(researcher, [])

test_trust_domain if spiffe.trust_domain(researcher) == "example.org"

test_trust_domain_of_non_spiffe_is_undefined if not spiffe.trust_domain("https://example.org/a")

test_caller_allowed if spiffe.caller_allowed(["spiffe://example.org/ns/ui/sa/*"]) with input as {"caller": {"spiffe_id": frontend}}

test_caller_not_allowed if not spiffe.caller_allowed([researcher]) with input as {"caller": {"spiffe_id": frontend}}

test_caller_in_trust_domain if spiffe.caller_in_trust_domain("example.org") with input as {"caller": {"trust_domain": "example.org"}}
