using AgentFabric.Rego.Builtins;

namespace AgentFabric.Rego.Compilation;

/// <summary>What a call resolves to.</summary>
internal abstract class CallTarget
{
    /// <summary>The canonical name, the key <c>with</c> mocks use (<c>count</c>, <c>data.pkg.f</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The number of declared arguments (a call may pass one more: the output).</summary>
    public abstract int Arity { get; }
}

internal sealed class BuiltinCallTarget(BuiltinDefinition builtin) : CallTarget
{
    public BuiltinDefinition Builtin { get; } = builtin;

    /// <summary>Which of the catalog's comparison operators this is (None for any other builtin, including a
    /// replacement registered under the same name): the evaluator computes those inline.</summary>
    public InlineOperator Operator { get; } =
        ReferenceEquals(builtin.Function, BuiltinCatalog.EqualFunction) ? InlineOperator.Equal
        : ReferenceEquals(builtin.Function, BuiltinCatalog.NotEqualFunction) ? InlineOperator.NotEqual
        : ReferenceEquals(builtin.Function, BuiltinCatalog.Member2Function) ? InlineOperator.Member
        : InlineOperator.None;

    /// <summary>Whether the builtin is a relation or has effects the evaluator handles itself (<c>walk</c>,
    /// <c>print</c>): such calls never take the direct path. Kept as a flag so the hot path compares no names.</summary>
    public bool IsSpecial { get; } = builtin.Name is "walk" or "print";

    public override string Name => Builtin.Name;

    public override int Arity => Builtin.Signature.Variadic is null ? Builtin.Signature.Arity : -1;
}

/// <summary>The builtins the evaluator computes without calling them.</summary>
internal enum InlineOperator
{
    None,
    Equal,
    NotEqual,
    Member,
}

internal sealed class FunctionCallTarget(RuleNode node, int arity) : CallTarget
{
    public RuleNode Node { get; } = node;

    public override string Name => Node.DataPath;

    public override int Arity { get; } = arity;
}

/// <summary>What a <c>with</c> modifier replaces.</summary>
internal sealed class WithTarget
{
    public WithTargetKind Kind { get; init; }

    /// <summary>The path below input or data.</summary>
    public string[] Path { get; init; } = [];

    /// <summary>For function targets: the canonical name of the replaced function.</summary>
    public string FunctionName { get; init; } = string.Empty;

    /// <summary>For function targets replaced by another function: the replacement.</summary>
    public CallTarget? Replacement { get; init; }
}

internal enum WithTargetKind
{
    Input,
    Data,
    Function,
}
