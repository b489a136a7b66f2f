using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>One value a rule puts into its node's document: at the key path below the node, a value or (for a
/// partial set) a member.</summary>
internal readonly record struct RuleContribution(Value[] KeyPath, Value Value, bool IsSetMember);
