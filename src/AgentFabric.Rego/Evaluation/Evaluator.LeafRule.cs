using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

// The general path of SimpleLeafValue for one rule (or else branch): every solution of the body adds the rule's
// output. The state of the rule being collected lives in a field and the continuation is one delegate per evaluator
// (evaluators are reused), so a rule whose body enumerates allocates no closures; nested rules save and restore it.
internal sealed partial class Evaluator
{
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
