namespace AgentFabric.Rego.Tests;

/// <summary>Policies several test classes evaluate: rule text without a package line (each test adds its own).</summary>
internal static class TestPolicies
{
    /// <summary>Seed 001's style: rules using a boolean helper (is_item) and a value helper (caller); data.callers
    /// maps a caller to its scopes.</summary>
    public const string Inventory = """
        default allow := false
        allow if {
        	input.method == "GET"
        	is_item
        	"read" in caller.scopes
        }
        allow if {
        	input.method in {"POST", "PUT"}
        	is_item
        	"write" in caller.scopes
        }
        caller := data.callers[input.caller]
        is_item if input.path[0] == "items"
        """;

    /// <summary>The shared bench fixture's RBAC policy: an admin helper and a set helper of grants; data.user_roles
    /// and data.role_grants.</summary>
    public const string Rbac = """
        default allow := false
        allow if user_is_admin
        allow if {
        	some grant in user_is_granted
        	input.action == grant.action
        	input.type == grant.type
        }
        user_is_admin if "admin" in data.user_roles[input.user]
        user_is_granted contains grant if {
        	some role in data.user_roles[input.user]
        	some grant in data.role_grants[role]
        }
        """;
}
