using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Evaluation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego;

/// <summary>An immutable, compiled set of modules plus base data. Safe to share between threads; prepare queries
/// against it with <see cref="RegoEngine"/>.</summary>
/// <remarks>The only state that changes after compilation is a cache of the values of rules that depend on base data
/// alone, filled by the first evaluation that needs each; every evaluation would compute the same values.</remarks>
public sealed class CompiledPolicy
{
    internal CompiledPolicy(IReadOnlyList<Module> modules, RuleNode root, int dataOnlyCount, ObjectValue data, BuiltinRegistry builtins)
    {
        Modules = modules;
        Root = root;
        Data = data;
        Builtins = builtins;
        Queries = new QueryCompiler(modules, root, builtins);
        _dataOnlyValues = new DataOnlyValue?[dataOnlyCount];
    }

    /// <summary>The compiled modules.</summary>
    public IReadOnlyList<Module> Modules { get; }

    /// <summary>The base data document.</summary>
    public ObjectValue Data { get; }

    /// <summary>The builtins available to the policy.</summary>
    public BuiltinRegistry Builtins { get; }

    internal RuleNode Root { get; }

    // Compiles the queries prepared against this policy over the rule tree and builtins.
    internal QueryCompiler Queries { get; }

    // The values of the rules that depend on base data alone (RuleNode.DataOnlyIndex), computed by the first
    // evaluation that needs each; null until then.
    private readonly DataOnlyValue?[] _dataOnlyValues;

    internal DataOnlyValue? DataOnlyValue(int index) => Volatile.Read(ref _dataOnlyValues[index]);

    // Racing evaluations compute the same value (the rule reads nothing that differs between them): either may be
    // kept, and a value computed under a tighter output limit replaces one computed under a looser one (it fits more
    // evaluations).
    internal void KeepDataOnlyValue(int index, DataOnlyValue value)
    {
        if (DataOnlyValue(index) is not { } known || value.Widens(known))
        {
            Volatile.Write(ref _dataOnlyValues[index], value);
        }
    }
}
