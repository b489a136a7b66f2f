using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

internal sealed partial class Evaluator
{
    /// <summary>The full document at a rule-tree node (rules, nodes below, base data and overrides); null when
    /// undefined. Cached for the current <c>with</c> scope; a rule on base data alone also for the policy.</summary>
    private Value? NodeValue(RuleNode node)
    {
        var nodes = _caches.Nodes;
        if (nodes.TryGetValue(node.Id, out var cached))
        {
            if (!ScopeCaches.IsComputing(cached))
            {
                return cached;
            }

            throw Recursive(node);
        }

        // Computed once per policy (see PolicyCompiler.DataOnly.cs); `with` on data or functions could change it,
        // so those scopes compute their own.
        var keptForPolicy = node.DataOnlyIndex >= 0 && _dataOverrides is null && _mocks is null;
        if (keptForPolicy && _policy.DataOnlyValue(node.DataOnlyIndex) is { } kept && kept.Fits(_limits, _ctx.StrictErrors))
        {
            ChargeSteps(kept.Steps);
            nodes[node.Id] = kept.Value;
            return kept.Value;
        }

        EnsureStack();
        var stepsBefore = _steps;
        var value = ComputeNodeValue(node, nodes);
        if (keptForPolicy)
        {
            _policy.KeepDataOnlyValue(node.DataOnlyIndex, new DataOnlyValue(value, _steps - stepsBefore, _limits.MaxOutputSize, _ctx.StrictErrors));
        }

        return value;
    }

    /// <summary>Marks a node as being computed in this scope (end with <c>_caches.Leave</c>); a node already being
    /// computed is a recursion.</summary>
    private void EnterRule(RuleNode node)
    {
        if (!_caches.Enter(node.Id))
        {
            throw Recursive(node);
        }
    }

    private static RegoEvaluationException Recursive(RuleNode node) =>
        new(RegoErrorCodes.RecursionError, $"rule {node.DataPath} is recursive", null);

    // The node's value, computed and entered in the scope's cache.
    private Value? ComputeNodeValue(RuleNode node, NodeValueCache nodes)
    {
        // Marks the node as being computed (what Enter does, without looking it up again).
        _caches.MarkComputing(node.Id);
        var stored = false;
        try
        {
            if (node.IsSimpleLeaf && _dataOverrides is null && BaseOf(node) is null)
            {
                var simple = SimpleLeafValue(node);
                nodes[node.Id] = simple;
                stored = true;
                return simple;
            }

            var tree = new MergeNode();
            Contribute(node, tree);
            Value? result;
            var isRule = node.Rules.Count > 0 || node.Default is not null;
            if (isRule)
            {
                if (tree.IsEmpty && node.Default is not null)
                {
                    tree.SetDefault(EvalDefault(node.Default));
                }

                result = tree.IsEmpty ? EmptyExtent(node) : tree.ToValue();
            }
            else
            {
                result = tree.ToValue();
            }

            var baseDoc = BaseOf(node);
            if (baseDoc is not null)
            {
                result = result is null ? baseDoc : MergeBase(result, baseDoc);
            }

            result = PatchOverrides(result, node.Path);
            nodes[node.Id] = result;
            stored = true;
            return result;
        }
        finally
        {
            // A stored value replaced the mark; otherwise (an error) the mark goes.
            if (!stored)
            {
                _caches.Leave(node.Id);
            }
        }
    }

    private void Contribute(RuleNode node, MergeNode tree)
    {
        foreach (var (rule, prefix) in node.Rules)
        {
            foreach (var c in RuleContributions(rule, prefix))
            {
                tree.Insert(c.KeyPath, c.Value, c.IsSetMember, rule.Location, _limits.MaxOutputSize);
            }
        }

        foreach (var child in node.Children.Values)
        {
            if (child.IsFunction || !child.HasRulesBelow)
            {
                continue;
            }

            var key = StringValue.Create(child.Key);
            var parentHasValue = tree.HasValue;
            var sub = tree.Child(key);
            Contribute(child, sub);
            var isRule = child.Rules.Count > 0 || child.Default is not null;
            if (sub.IsEmpty && child.Default is not null)
            {
                sub.SetDefault(EvalDefault(child.Default));
            }

            if (sub.IsEmpty && isRule && EmptyExtent(child) is { } empty)
            {
                sub.SetDefault(empty);
            }

            if (parentHasValue && !sub.IsEmpty)
            {
                // A rule below writes into a value another rule produced.
                var at = child.Rules.Count > 0 ? child.Rules[0].Rule.Location : default;
                throw new RegoEvaluationException(RegoErrorCodes.ConflictError, "object keys must be unique", at);
            }

            if (sub.IsEmpty && (isRule || parentHasValue))
            {
                tree.RemoveIfEmpty(key);
            }
        }
    }

    // Partial sets and objects with no members are empty, not undefined.
    private static Value? EmptyExtent(RuleNode node)
    {
        foreach (var (rule, prefix) in node.Rules)
        {
            if (rule.Kind == RuleKind.MultiValue && prefix == rule.Head.Count)
            {
                return SetValue.Empty;
            }

            if (prefix < rule.Head.Count)
            {
                return ObjectValue.Empty;
            }
        }

        return null;
    }

    private Value EvalDefault(Rule rule)
    {
        var frame = NewFrame(rule.SlotCount);
        return EvalFirst(frame, rule.Value!) ?? throw new RegoEvaluationException(RegoErrorCodes.InternalError, "default value is undefined", rule.Location);
    }

    private List<RuleContribution> RuleContributions(Rule rule, int prefix)
    {
        if (_caches.Rules.TryGetValue(rule, out var cached))
        {
            return cached;
        }

        var list = new List<RuleContribution>();
        var guards = default(RuleGuards);
        if (!GuardsPass(rule, ref guards))
        {
            _caches.Rules[rule] = list;
            return list;
        }

        for (var r = rule; r is not null; r = r.Else)
        {
            var frame = NewFrame(r.SlotCount);
            var produced = false;
            var keyTerms = rule.Head.Count > prefix ? rule.Head.GetRange(prefix, rule.Head.Count - prefix).ToArray() : [];
            var keys = new Value[keyTerms.Length];
            var current = r;
            EvalBody(frame, ReferenceEquals(r, rule) ? BodyAfterGuards(rule) : r.Body.Exprs, 0, () => EvalItems(frame, keyTerms, 0, keys, () =>
            {
                var memberTerm = rule.Kind == RuleKind.MultiValue ? rule.Key! : current.Value!;
                return EvalTerm(frame, memberTerm, v =>
                {
                    produced = true;
                    list.Add(new RuleContribution((Value[])keys.Clone(), v, rule.Kind == RuleKind.MultiValue));
                    CheckOutputSize(list.Count, rule.Location);
                    return true;
                });
            }));
            if (produced)
            {
                break;
            }
        }

        _caches.Rules[rule] = list;
        return list;
    }

    // The base document under a rule-tree node, looked up once per node (its policy's data never changes).
    private Value? BaseOf(RuleNode node)
    {
        if (!node.BaseKnown)
        {
            node.BaseDocument = BaseAt(node.Path);
            node.BaseKnown = true;
        }

        return node.BaseDocument;
    }

    private Value? BaseAt(string[] path)
    {
        Value? cur = _policy.Data;
        foreach (var p in path)
        {
            cur = cur is ObjectValue o ? o.Get(p) : null;
            if (cur is null)
            {
                return null;
            }
        }

        return cur;
    }

    private static Value MergeBase(Value virtualDoc, Value baseDoc)
    {
        if (virtualDoc is not ObjectValue vo || baseDoc is not ObjectValue bo)
        {
            // Where a base document and a rule disagree, OPA reports the base document.
            return baseDoc;
        }

        var b = new ObjectValue.Builder(vo);
        foreach (var (k, bv) in bo)
        {
            var existing = vo.Get(k);
            b.Set(k, existing is null ? bv : MergeBase(existing, bv));
        }

        return b.ToValue();
    }
}
