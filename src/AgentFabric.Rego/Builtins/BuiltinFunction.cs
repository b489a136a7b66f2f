using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins;

/// <summary>A builtin's implementation. <paramref name="args"/> holds exactly the declared number of operands (all
/// ground values). Return the result, or null for "undefined". Report errors by throwing
/// <see cref="RegoBuiltinException"/> (use <see cref="BuiltinArgs"/> for operand type checks).</summary>
public delegate Value? BuiltinFunction(BuiltinContext context, ReadOnlySpan<Value> args);

/// <summary>Properties of a builtin that matter to the compiler and evaluator.</summary>
[Flags]
public enum BuiltinFlags
{
    /// <summary>A pure function of its operands.</summary>
    None = 0,

    /// <summary>Results may differ between evaluations with the same operands (time.now_ns, rand.intn, uuid.rfc4122,
    /// http.send); results are cached per evaluation so a query sees one answer.</summary>
    Nondeterministic = 1,

    /// <summary>Deprecated by OPA; rejected by the compiler in strict mode.</summary>
    Deprecated = 2,

    /// <summary>Reads the evaluation's clock (certificate validity): the same operands give the same result within
    /// one evaluation only, so the result is never kept beyond it.</summary>
    ReadsClock = 4,
}

/// <summary>A registered builtin: its name, declared signature, implementation and flags.</summary>
/// <param name="Name">The full dotted name, e.g. <c>strings.replace_n</c>.</param>
/// <param name="Signature">The declared types.</param>
/// <param name="Function">The implementation.</param>
/// <param name="Flags">Properties.</param>
public sealed record BuiltinDefinition(string Name, BuiltinSignature Signature, BuiltinFunction Function, BuiltinFlags Flags);
