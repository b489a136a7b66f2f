using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Builtins;

namespace AgentFabric.Rego.Compilation;

/// <summary>Compiles queries against a compiled policy's rule tree. Immutable and safe to share between threads: the
/// per-query resolution state (current module, package, imports) lives in a <see cref="PolicyCompiler"/> made for
/// each query, which reads the rule tree, modules and builtins without changing them.</summary>
internal sealed class QueryCompiler(IReadOnlyList<Module> modules, RuleNode root, BuiltinRegistry builtins)
{
    /// <summary>Resolves, rewrites and orders the query's body in place; returns its variable slots.</summary>
    public SlotCounter Compile(Body query) => PolicyCompiler.ForQuery(modules, builtins, root).CompileQuery(query);
}
