# The edge's default token-exchange policy: deny unless a route in data.edge.routes (EdgeOptions.ExchangeRoutes)
# lets the calling agent reach the requested target. Patterns are SPIFFE IDs with glob segments ("*" within one
# path segment), as data.agentfabric.lib.spiffe matches them.
package edge.exchange

import data.agentfabric.lib.spiffe

default allow := false

allow if {
	some route in data.edge.routes
	spiffe.matches(input.caller.spiffe_id, route.caller)
	spiffe.matches(input.resource.id, route.target)
}
