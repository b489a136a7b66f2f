# Seed 003 ("Identity Fabric", OPA Policy Integration): the base policy of AgentVault, with the attestation set it
# refers to defined over data (one entry per attested agent).
package agentvault.authz

import rego.v1

default allow := false

# Allow services to access their own resources
allow if {
	input.subject.type == "service"
	input.subject.id == input.resource.owner
}

# Allow agents with valid attestations
allow if {
	input.subject.type == "agent"
	valid_attestation[input.subject.id]
}

# Role-based access for admin operations
allow if {
	input.subject.role == "admin"
	input.action in admin_actions
}

admin_actions := {
	"token.issue",
	"account.suspend",
	"policy.create",
}

valid_attestation contains id if {
	some id
	data.attestations[id].verified == true
}
