using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

// x == y, x != y and x in xs (the bulk of a policy's calls) without a builtin call, and references with constant
// keys without evaluating each key.
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

    /// <summary>The values of a reference's path operands when all are constants (<c>input.subject.id</c>,
    /// <c>x.action</c>), computed once per term (policies are immutable; a racing second computation stores equal
    /// keys); null otherwise.</summary>
    internal static Value[]? ConstantKeys(RefTerm r)
    {
        switch (Volatile.Read(ref r.ConstantKeysState))
        {
            case 1:
                return r.ConstantKeys;
            case 2:
                return null;
        }

        var keys = new Value[r.Path.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            if (r.Path[i] is not ScalarTerm s)
            {
                keys = null;
                break;
            }

            // Shared key instances: the lookup in an input object ends at a reference check.
            keys[i] = StringValue.Key(s.Value);
        }

        r.ConstantKeys = keys;
        Volatile.Write(ref r.ConstantKeysState, keys is null ? 2 : 1);
        return keys;
    }

    // Walks constant keys down from a value; null as soon as one is missing. Objects (nearly every step of
    // input.a.b and x.a) are looked up without the general dispatch.
    internal static Value? LookupPath(Value start, Value[] keys)
    {
        Value? cur = start;
        for (var i = 0; i < keys.Length && cur is not null; i++)
        {
            cur = cur is ObjectValue o ? o.Get(keys[i]) : Lookup(cur, keys[i]);
        }

        return cur;
    }
}
