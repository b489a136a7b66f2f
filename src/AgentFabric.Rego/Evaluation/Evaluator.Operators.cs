using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;

namespace AgentFabric.Rego.Evaluation;

// x == y, x != y and x in xs (the bulk of a policy's calls) without a builtin call.
internal sealed partial class Evaluator
{
    private bool TryOperatorDirect(Value?[] f, Term left, Term right, InlineOperator op, out Value? value)
    {
        // As for any call: arguments in order, the first undefined one makes the call undefined.
        value = null;
        if (!TryEvalDirect(f, left, out var a))
        {
            return false;
        }

        if (a is null)
        {
            return true;
        }

        if (!TryEvalDirect(f, right, out var b))
        {
            return false;
        }

        if (b is not null)
        {
            value = BooleanValue.Create(op switch
            {
                InlineOperator.Equal => a.Equals(b),
                InlineOperator.NotEqual => !a.Equals(b),
                _ => BuiltinCatalog.Member2(a, b),
            });
        }

        return true;
    }
}
