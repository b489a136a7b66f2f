namespace AgentFabric.Rego.Ast;

/// <summary>A position in a Rego source file (1-based line and column).</summary>
public readonly record struct Location(string File, int Line, int Column)
{
    /// <summary><c>file:line</c>, the prefix OPA puts on evaluation errors.</summary>
    public string FileLine => $"{File}:{Line}";

    /// <summary><c>file:line:col</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
