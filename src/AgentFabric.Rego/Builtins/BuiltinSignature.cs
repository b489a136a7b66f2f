namespace AgentFabric.Rego.Builtins;

/// <summary>A builtin's declared type (the <c>decl</c> of capabilities.json): argument types and result type, or a
/// variadic argument type (as <c>print</c>).</summary>
/// <param name="Args">The declared argument types, in order.</param>
/// <param name="Result">The result type; null for builtins that produce no value (print).</param>
/// <param name="Variadic">When set, any number of arguments of this type is accepted after <paramref name="Args"/>.</param>
public sealed record BuiltinSignature(IReadOnlyList<RegoType> Args, RegoType? Result, RegoType? Variadic = null)
{
    /// <summary>The number of declared arguments (excluding variadic ones).</summary>
    public int Arity => Args.Count;

    /// <summary>OPA's text: <c>(string, number) =&gt; boolean</c>.</summary>
    public override string ToString() =>
        "(" + string.Join(", ", Args.Select(a => a.ToString())) + ")" + (Result is null ? string.Empty : " => " + Result);
}
