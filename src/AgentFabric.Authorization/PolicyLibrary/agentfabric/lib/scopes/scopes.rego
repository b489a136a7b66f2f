# Scope narrowing along a delegation chain: each actor holds at most the scopes of the actor before it, and the
# token that reached us (input.user.scopes) at most those of the nearest actor. Every actor must state its scopes.
package agentfabric.lib.scopes

# has(scope): the token that reached us grants the scope.
has(scope) if scope in input.user.scopes

# narrowing: scopes never widen along the chain.
narrowing if {
	every i, _ in input.delegation {
		narrower_than_previous(i)
	}
	token_within_nearest
}

# The first actor's scopes are what the user granted.
narrower_than_previous(i) if {
	i == count(input.delegation) - 1
	is_array(input.delegation[i].scopes)
}

narrower_than_previous(i) if {
	mine := {s | some s in input.delegation[i].scopes}
	previous := {s | some s in input.delegation[i + 1].scopes}
	is_array(input.delegation[i].scopes)
	is_array(input.delegation[i + 1].scopes)
	count(mine - previous) == 0
}

token_within_nearest if count(input.delegation) == 0

token_within_nearest if {
	token := {s | some s in input.user.scopes}
	nearest := {s | some s in input.delegation[0].scopes}
	is_array(input.delegation[0].scopes)
	count(token - nearest) == 0
}
