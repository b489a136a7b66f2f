namespace AgentFabric.Cli.Policy;

/// <summary>A <c>policy</c> command cannot run: a missing file, bad JSON, a bad option value.</summary>
internal sealed class PolicyCliException(string message) : Exception(message);
