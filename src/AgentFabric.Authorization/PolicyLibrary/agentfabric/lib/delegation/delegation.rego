# Rules over the delegation chain: input.delegation lists the actors of the exchanged token's act claims
# (RFC 8693 §4.1), nearest first: input.delegation[0] called us, the last one started the chain.
package agentfabric.lib.delegation

import data.agentfabric.lib.spiffe

# depth: how many actors the chain has.
depth := count(input.delegation)

# within_max_depth(max): at most max actors.
within_max_depth(max) if depth <= max

# no_repeats: no agent appears twice in the chain (no loops, no ping-pong).
no_repeats if count({hop.spiffe_id | some hop in input.delegation}) == depth

# nearest_is_caller: the chain's nearest actor is the authenticated caller (or there is no chain).
nearest_is_caller if depth == 0

nearest_is_caller if input.delegation[0].spiffe_id == input.caller.spiffe_id

# origin_allowed(patterns): the agent that started the chain matches one of the patterns.
origin_allowed(patterns) if spiffe.matches_any(input.delegation[depth - 1].spiffe_id, patterns)

# started_by_user: the chain started from an end user (the exchanged token names one).
started_by_user if input.user.sub

# started_by(subjects): the chain started from one of these users (token sub).
started_by(subjects) if input.user.sub in subjects

# order_allowed(follows): every actor may follow the one before it. follows maps an actor pattern to the patterns
# of the actors it may follow: {"spiffe://td/writer": ["spiffe://td/researcher"]}.
order_allowed(follows) if {
	every i, _ in input.delegation {
		follows_previous(i, follows)
	}
}

# The first actor follows nobody.
follows_previous(i, _) if i == depth - 1

follows_previous(i, follows) if {
	some pattern, previous in follows
	spiffe.matches(input.delegation[i].spiffe_id, pattern)
	spiffe.matches_any(input.delegation[i + 1].spiffe_id, previous)
}
