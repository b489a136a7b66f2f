using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;

namespace AgentFabric.Rego;

/// <summary>An immutable, compiled set of modules plus base data. Safe to share between threads; prepare queries
/// against it with <see cref="RegoEngine"/>.</summary>
public sealed class CompiledPolicy
{
    internal CompiledPolicy(IReadOnlyList<Module> modules, RuleNode root, ObjectValue data, BuiltinRegistry builtins, PolicyCompiler compiler)
    {
        Modules = modules;
        Root = root;
        Data = data;
        Builtins = builtins;
        Compiler = compiler;
    }

    /// <summary>The compiled modules.</summary>
    public IReadOnlyList<Module> Modules { get; }

    /// <summary>The base data document.</summary>
    public ObjectValue Data { get; }

    /// <summary>The builtins available to the policy.</summary>
    public BuiltinRegistry Builtins { get; }

    internal RuleNode Root { get; }

    // Query compilation reuses the rule tree and builtins; guarded because the compiler keeps per-module state.
    internal PolicyCompiler Compiler { get; }

    internal object CompileLock { get; } = new();
}
