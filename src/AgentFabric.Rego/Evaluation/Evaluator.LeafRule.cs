using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

// A simple leaf (every rule defines exactly the node's path): its rules are evaluated one by one, directly where the
// body allows. The general path for one rule (or else branch), EvalLeafRule, adds the output of every solution of
// the body: the state of the rule being collected lives in a field and the continuation is one delegate per
// evaluator (evaluators are reused), so a rule whose body enumerates allocates no closures; nested rules save and
// restore it.
internal sealed partial class Evaluator
{
    // All rules define exactly this path: a complete value (all solutions must agree) or a set of members.
    private Value? SimpleLeafValue(RuleNode node)
    {
        var isSet = node.Rules[0].Rule.Kind == RuleKind.MultiValue;
        var members = isSet ? RentMembers() : null;
        var result = EvalLeafRules(node, members);
        if (members is not null)
        {
            var set = members.ToValue();
            ReturnMembers(members);
            return set;
        }

        if (result is null && node.Default is not null)
        {
            result = EvalDefault(node.Default);
        }

        return result;
    }

    // Every rule of a simple leaf: a partial set's members go to the builder, a complete value is returned.
    private Value? EvalLeafRules(RuleNode node, SetValue.Builder? members)
    {
        Value? result = null;

        // Rules that all give one constant: the first success decides (see RuleNode.ExitsEarly).
        var exitsEarly = members is null && node.ExitsEarly;
        var guards = default(RuleGuards);
        foreach (var candidate in CandidateRules(node))
        {
            if (exitsEarly && result is not null)
            {
                break;
            }

            var rule = candidate;
            if (rule.Inlined is { } inlined && UsesInlined(inlined))
            {
                rule = inlined;
            }

            if (!GuardsPass(rule, ref guards))
            {
                continue;
            }

            for (var r = rule; r is not null; r = r.Else)
            {
                var frame = RentFrame(r.SlotCount);
                try
                {
                    var output = members is not null ? rule.Key! : r.Value!;

                    // Only the first branch's guards were checked.
                    var exprs = ReferenceEquals(r, rule) ? BodyAfterGuards(rule) : r.Body.Exprs;
                    var direct = TryBodyDirect(frame, exprs);
                    if (direct == DirectBody.Failed)
                    {
                        continue;
                    }

                    if (direct == DirectBody.Succeeded && TryEvalDirect(frame, output, out var v))
                    {
                        // One solution: no continuation needed.
                        if (v is null)
                        {
                            continue;
                        }

                        AddLeafOutput(v, members, ref result, r, rule.Location);
                        break;
                    }

                    Array.Clear(frame);
                    if (r.HasConstantOutput)
                    {
                        // One solution of the body is enough, and the output needs none of its bindings.
                        if (!HasSolution(frame, exprs))
                        {
                            continue;
                        }

                        if (TryEvalDirect(frame, output, out var constant) && constant is not null)
                        {
                            AddLeafOutput(constant, members, ref result, r, rule.Location);
                            break;
                        }

                        Array.Clear(frame);
                    }

                    if (EvalLeafRule(rule, r, exprs, frame, output, members, ref result))
                    {
                        break;
                    }
                }
                finally
                {
                    ReturnFrame(frame);
                }
            }
        }

        return result;
    }

    // The copy with helpers inlined means the same as the rule unless `with` replaces data (a helper's path may be
    // overridden; such scopes take the general path today, which never reaches here, but the copy must not be used
    // whatever the path) or data holds a document at a helper's path (merged with its value).
    private bool UsesInlined(Rule inlined)
    {
        if (_dataOverrides is not null)
        {
            return false;
        }

        foreach (var helper in inlined.InlinedFrom)
        {
            if (BaseOf(helper) is not null)
            {
                return false;
            }
        }

        return true;
    }

    private void AddLeafOutput(Value v, SetValue.Builder? members, ref Value? result, Rule current, Location ruleLocation)
    {
        if (members is not null)
        {
            members.Add(v);
            CheckOutputSize(members.Count, ruleLocation);
        }
        else if (result is null)
        {
            result = v;
        }
        else if (!result.Equals(v))
        {
            throw Conflict("complete rules must not produce multiple outputs", current.Location);
        }
    }

    // One builder for a partial set's members is kept per evaluator (a nested set computation takes a new one).
    private SetValue.Builder? _spareMembers;

    private SetValue.Builder RentMembers()
    {
        var members = _spareMembers ?? new SetValue.Builder();
        _spareMembers = null;
        return members;
    }

    // Keeps the builder for the next set unless it grew too large to hold on to.
    private void ReturnMembers(SetValue.Builder members)
    {
        if (members.Reset())
        {
            _spareMembers = members;
        }
    }

    private LeafCollection _leaf;
    private Func<bool>? _collectLeaf;

    /// <summary>Evaluates the rule's body, adding each solution's output; true when any produced an output.</summary>
    private bool EvalLeafRule(Rule rule, Rule current, List<Expr> exprs, Value?[] frame, Term output, SetValue.Builder? members, ref Value? result)
    {
        var saved = _leaf;
        _leaf = new LeafCollection(rule, current, frame, output, members, result);
        try
        {
            EvalBody(frame, exprs, 0, _collectLeaf ??= CollectLeaf);
            result = _leaf.Result;
            return _leaf.Produced;
        }
        finally
        {
            _leaf = saved;
        }
    }

    private bool CollectLeaf()
    {
        if (!TryEvalDirect(_leaf.Frame, _leaf.Output, out var v))
        {
            return EvalTerm(_leaf.Frame, _leaf.Output, AddLeafSolution);
        }

        return v is null || AddLeafSolution(v);
    }

    private bool AddLeafSolution(Value v)
    {
        ref var s = ref _leaf;
        s.Produced = true;
        AddLeafOutput(v, s.Members, ref s.Result, s.Current, s.Rule.Location);

        // A constant output cannot change with more solutions of this body.
        return !s.Current.HasConstantOutput;
    }

    private struct LeafCollection(Rule rule, Rule current, Value?[] frame, Term output, SetValue.Builder? members, Value? result)
    {
        public readonly Rule Rule = rule;
        public readonly Rule Current = current;
        public readonly Value?[] Frame = frame;
        public readonly Term Output = output;
        public readonly SetValue.Builder? Members = members;
        public Value? Result = result;
        public bool Produced;
    }
}
