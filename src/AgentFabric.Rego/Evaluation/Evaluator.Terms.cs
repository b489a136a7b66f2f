using System.Text;
using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

internal sealed partial class Evaluator
{
    private bool EvalTerm(Value?[] f, Term t, Func<Value, bool> k)
    {
        switch (t)
        {
            case ScalarTerm s:
                return k(s.Value);
            case VarTerm v:
                return v.Slot >= 0
                    ? (f[v.Slot] is { } bound ? k(bound) : throw Unbound(v))
                    : EvalRef(f, new RefTerm(v, [], v.Location), k);
            case RefTerm r:
                return EvalRef(f, r, k);
            case ArrayTerm or SetTerm or ObjectTerm when Fold(t) is { } constant:
                return k(constant);
            case ArrayTerm a:
            {
                var items = new Value[a.Items.Length];
                return EvalItems(f, a.Items, 0, items, () => k(ArrayValue.Wrap((Value[])items.Clone())));
            }

            case SetTerm s:
            {
                var items = new Value[s.Items.Length];
                return EvalItems(f, s.Items, 0, items, () => k(SetValue.Create(items)));
            }

            case ObjectTerm o:
                return EvalObject(f, o, 0, new ObjectValue.Builder(o.Entries.Length), k);
            case CallTerm c:
                return EvalCall(f, c, k);
            case ComprehensionTerm comp:
                return k(EvalComprehension(f, comp));
            case TemplateStringTerm ts:
                return k(EvalTemplate(f, ts));
            default:
                throw new InvalidOperationException($"unknown term {t.GetType().Name}");
        }
    }

    private static RegoEvaluationException Unbound(VarTerm v) =>
        new(RegoErrorCodes.InternalError, $"var {v.Name} is unbound", v.Location);

    private bool EvalItems(Value?[] f, Term[] terms, int i, Value[] values, Func<bool> k)
    {
        while (i < terms.Length && TryEvalDirect(f, terms[i], out var direct))
        {
            if (direct is null)
            {
                return true;
            }

            values[i++] = direct;
        }

        if (i == terms.Length)
        {
            return k();
        }

        var idx = i;
        return EvalTerm(f, terms[idx], v =>
        {
            values[idx] = v;
            return EvalItems(f, terms, idx + 1, values, k);
        });
    }

    private bool EvalObject(Value?[] f, ObjectTerm o, int i, ObjectValue.Builder b, Func<Value, bool> k)
    {
        if (i == o.Entries.Length)
        {
            return k(b.ToValue());
        }

        var (kt, vt) = o.Entries[i];
        return EvalTerm(f, kt, key => EvalTerm(f, vt, val =>
        {
            var copy = new ObjectValue.Builder(b.Count + 1);
            var existing = b.Get(key);
            if (existing is not null && !existing.Equals(val))
            {
                throw Conflict("object keys must be unique", o.Location);
            }

            CopyInto(b, copy);
            copy.Set(key, val);
            return EvalObject(f, o, i + 1, copy, k);
        }));
    }

    private static void CopyInto(ObjectValue.Builder from, ObjectValue.Builder to)
    {
        foreach (var (k, v) in from.ToValue())
        {
            to.Set(k, v);
        }
    }

    internal static Value? Lookup(Value v, Value key)
    {
        switch (v)
        {
            case ObjectValue o:
                return o.Get(key);
            case ArrayValue a:
                return key is NumberValue n && n.TryGetInt32(out var i) && i >= 0 && i < a.Count ? a[i] : null;
            case SetValue s:
                return s.Contains(key) ? key : null;
            default:
                return null;
        }
    }

    private Value EvalComprehension(Value?[] f, ComprehensionTerm c)
    {
        switch (c.Kind)
        {
            case ComprehensionKind.Array:
            {
                var items = new List<Value>();
                EvalBody(f, c.Body.Exprs, 0, () => EvalTerm(f, c.Value, v =>
                {
                    items.Add(v);
                    CheckOutputSize(items.Count, c.Location);
                    return true;
                }));
                return ArrayValue.Wrap(items.ToArray());
            }

            case ComprehensionKind.Set:
            {
                var b = new SetValue.Builder();
                EvalBody(f, c.Body.Exprs, 0, () => EvalTerm(f, c.Value, v =>
                {
                    b.Add(v);
                    CheckOutputSize(b.Count, c.Location);
                    return true;
                }));
                return b.ToValue();
            }

            default:
            {
                var b = new ObjectValue.Builder();
                EvalBody(f, c.Body.Exprs, 0, () => EvalTerm(f, c.Key!, key => EvalTerm(f, c.Value, v =>
                {
                    var existing = b.Get(key);
                    if (existing is not null && !existing.Equals(v))
                    {
                        throw Conflict("object keys must be unique", c.Location);
                    }

                    b.Set(key, v);
                    CheckOutputSize(b.Count, c.Location);
                    return true;
                })));
                return b.ToValue();
            }
        }
    }

    private Value EvalTemplate(Value?[] f, TemplateStringTerm ts)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < ts.Parts.Length; i++)
        {
            var part = ts.Parts[i];
            if (part is string s)
            {
                sb.Append(s);
                continue;
            }

            var values = new List<Value>();
            EvalTerm(f, (Term)part, v =>
            {
                if (ts.CollectedParts?[i] == true)
                {
                    // The comprehension carrying `{t with m}` holds every value of t.
                    values.AddRange(((ArrayValue)v).Items.ToArray());
                }
                else
                {
                    values.Add(v);
                }

                return true;
            });
            if (values.Count == 0)
            {
                sb.Append("<undefined>");
            }
            else if (values.Count == 1)
            {
                AppendTemplateValue(sb, values[0]);
            }
            else
            {
                throw new RegoEvaluationException(RegoErrorCodes.ConflictError, "template-strings must not produce multiple outputs", ((Term)part).Location);
            }
        }

        return StringValue.Create(sb.ToString());
    }

    private static void AppendTemplateValue(StringBuilder sb, Value v)
    {
        if (v is StringValue s)
        {
            sb.Append(s.Value);
        }
        else
        {
            v.WriteTerm(sb);
        }
    }
}
