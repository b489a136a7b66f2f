using AgentFabric.Rego.Ast;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Compilation;

/// <summary>A node of the rule tree: one constant path under <c>data</c> (<c>data.app.rbac.allow</c>) with the rules
/// whose head's constant prefix ends here and the nodes below it.</summary>
internal sealed class RuleNode
{
    public RuleNode(string key, RuleNode? parent)
    {
        Key = key;
        Parent = parent;
        Path = parent is null ? [] : [.. parent.Path, key];
        Id = Interlocked.Increment(ref _nextId);
    }

    private static int _nextId;

    /// <summary>The base document at <see cref="Path"/> in the owning policy's data (a node belongs to one compiled
    /// policy, whose data never changes); valid when <see cref="BaseKnown"/> is set (see
    /// <c>Evaluator.BaseOf</c>).</summary>
    internal Value? BaseDocument;

    /// <summary>Whether the node is a partial set whose members can be tested one at a time (see
    /// <c>Evaluator.IsMemberLookup</c>): 0 not yet known, 1 yes, 2 no.</summary>
    internal byte MemberLookupShape;

    /// <summary>Whether <see cref="BaseDocument"/> has been looked up.</summary>
    internal volatile bool BaseKnown;

    /// <summary>A unique number, used to key per-evaluation caches.</summary>
    public int Id { get; }

    public string Key { get; }

    public RuleNode? Parent { get; }

    /// <summary>Path from data (excluding "data").</summary>
    public string[] Path { get; }

    public Dictionary<string, RuleNode> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>Non-default, non-function rules whose constant head prefix is this node, with the number of head
    /// elements that make up that prefix (the rest are the rule's dynamic suffix).</summary>
    public List<(Rule Rule, int PrefixLength)> Rules { get; } = [];

    /// <summary>Function definitions at this path.</summary>
    public List<Rule> Functions { get; } = [];

    /// <summary>The default function (<c>default f(_) := v</c>) at this path, if any.</summary>
    public Rule? DefaultFunction { get; set; }

    /// <summary>The default rule at this path, if any.</summary>
    public Rule? Default { get; set; }

    /// <summary>Whether any rule (of any kind) is defined at or below this node.</summary>
    public bool HasRulesBelow { get; set; }

    public bool IsFunction => Functions.Count > 0 || DefaultFunction is not null;

    public int FunctionArity => (Functions.Count > 0 ? Functions[0] : DefaultFunction)?.Args?.Length ?? 0;

    /// <summary>Set by the compiler: every rule here defines this exact path with one kind and nothing is defined
    /// below, so the document is computed without merging (the common case of <c>allow</c>, <c>deny</c> sets).</summary>
    public bool IsSimpleLeaf { get; set; }

    /// <summary>For a node whose value depends on base data alone (see PolicyCompiler.DataOnly.cs): its slot in
    /// <see cref="CompiledPolicy"/>'s values kept across evaluations; -1 for any other node.</summary>
    public int DataOnlyIndex { get; set; } = -1;

    /// <summary>Set by the compiler: every rule here is a complete rule without <c>else</c> whose value is the same
    /// constant (the several <c>allow if</c> of a policy), so once one succeeds the others cannot change the value
    /// and need not be evaluated (the early exit OPA applies to such rule sets).</summary>
    public bool ExitsEarly { get; set; }

    /// <summary>Set by the compiler for nodes with many rules guarded by one input field.</summary>
    public RuleIndex? Index { get; set; }

    /// <summary>Whether a module declares this path as its package.</summary>
    public bool IsPackage { get; set; }

    /// <summary>For a package node: the names of the rules its modules define (first head elements).</summary>
    public HashSet<string> RuleNames { get; } = new(StringComparer.Ordinal);

    public string DataPath => "data" + string.Concat(Path.Select(p => Syntax.Lexer.IsIdentifier(p) ? "." + p : "[" + GoQuote.Quote(p) + "]"));

    public RuleNode GetOrAdd(string key)
    {
        if (!Children.TryGetValue(key, out var child))
        {
            child = new RuleNode(key, this);
            Children.Add(key, child);
        }

        return child;
    }

    public RuleNode? Find(ReadOnlySpan<string> path)
    {
        var node = this;
        foreach (var p in path)
        {
            if (!node.Children.TryGetValue(p, out node))
            {
                return null;
            }
        }

        return node;
    }
}
