namespace AgentFabric.Rego.Builtins.GraphQl;

/// <summary>A GraphQL syntax or validation error with the position it refers to.</summary>
internal sealed class GqlException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
