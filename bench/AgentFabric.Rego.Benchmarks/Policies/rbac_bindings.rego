# RBAC over role bindings held in data (data.bindings: subject -> roles; data.roles: role -> permissions).
package rbac.bindings

import rego.v1

default allow := false

allow if {
	some role in data.bindings[input.subject]
	some permission in data.roles[role]
	permission.action == input.action
	permission.resource == input.resource
}
