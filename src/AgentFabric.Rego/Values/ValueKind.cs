namespace AgentFabric.Rego.Values;

/// <summary>The kind of a Rego value. The numeric order is OPA's type order in <c>ast.Compare</c>:
/// null &lt; boolean &lt; number &lt; string &lt; array &lt; object &lt; set.</summary>
public enum ValueKind
{
    Null = 0,
    Boolean = 1,
    Number = 2,
    String = 3,
    Array = 4,
    Object = 5,
    Set = 6,
}
