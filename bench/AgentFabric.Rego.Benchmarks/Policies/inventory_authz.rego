# In the style of seed 001's inventory policy: callers are workloads (SPIFFE IDs) acting for a user; reads need a
# caller with the read scope, writes a caller with the write scope and a user in the warehouse's staff.
package inventory.authz

import rego.v1

default allow := false

allow if {
	input.method == "GET"
	startswith_items
	"inventory:read" in caller.scopes
}

allow if {
	input.method in {"POST", "PUT"}
	startswith_items
	"inventory:write" in caller.scopes
	input.user in data.inventory.warehouses[input.warehouse].staff
}

caller := data.inventory.callers[input.caller_spiffe_id]

startswith_items if input.path[0] == "items"
