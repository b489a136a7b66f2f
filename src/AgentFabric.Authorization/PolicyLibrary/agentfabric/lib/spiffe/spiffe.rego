# SPIFFE ID patterns and caller allow-lists over the standard input (input.caller, input.delegation).
# A pattern is a SPIFFE ID in which "*" stands for one path segment and "**" for any number of them, e.g.
# "spiffe://example.org/ns/*/sa/writer" or "spiffe://example.org/ns/agents/**".
package agentfabric.lib.spiffe

# matches(id, pattern): the SPIFFE ID matches the pattern ("/" delimits segments).
matches(id, pattern) if glob.match(pattern, ["/"], id)

# matches_any(id, patterns): the SPIFFE ID matches one of the patterns.
matches_any(id, patterns) if {
	some pattern in patterns
	matches(id, pattern)
}

# trust_domain(id): the trust domain of a SPIFFE ID ("example.org").
trust_domain(id) := td if {
	startswith(id, "spiffe://")
	td := split(substring(id, count("spiffe://"), -1), "/")[0]
}

# caller_allowed(patterns): the direct caller matches the allow-list.
caller_allowed(patterns) if matches_any(input.caller.spiffe_id, patterns)

# caller_in_trust_domain(td): the direct caller belongs to the trust domain.
caller_in_trust_domain(td) if input.caller.trust_domain == td
