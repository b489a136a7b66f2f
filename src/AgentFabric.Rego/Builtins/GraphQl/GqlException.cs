namespace AgentFabric.Rego.Builtins.GraphQl;

/// <summary>A GraphQL syntax or validation error with the position it refers to.</summary>
internal sealed class GqlException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    /// <summary>Whether the document reached a limit (its nesting) rather than being malformed: such an error halts
    /// the evaluation.</summary>
    public bool IsLimit { get; init; }

    public int Column { get; } = column;
}
