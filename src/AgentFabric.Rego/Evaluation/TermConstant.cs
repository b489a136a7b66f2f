using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>Converts a ground term (no variables, refs or calls) into a value.</summary>
internal static class TermConstant
{
    public static Value? ToValue(Term t)
    {
        switch (t)
        {
            case ScalarTerm s:
                return s.Value;
            case ArrayTerm a:
            {
                var items = new Value[a.Items.Length];
                for (var i = 0; i < items.Length; i++)
                {
                    var v = ToValue(a.Items[i]);
                    if (v is null)
                    {
                        return null;
                    }

                    items[i] = v;
                }

                return ArrayValue.Create(items);
            }

            case SetTerm s:
            {
                var b = new SetValue.Builder();
                foreach (var i in s.Items)
                {
                    var v = ToValue(i);
                    if (v is null)
                    {
                        return null;
                    }

                    b.Add(v);
                }

                return b.ToValue();
            }

            case ObjectTerm o:
            {
                var b = new ObjectValue.Builder();
                foreach (var (kt, vt) in o.Entries)
                {
                    var k = ToValue(kt);
                    var v = ToValue(vt);
                    if (k is null || v is null)
                    {
                        return null;
                    }

                    b.Set(k, v);
                }

                return b.ToValue();
            }

            default:
                return null;
        }
    }
}
