using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

internal sealed partial class Evaluator
{
    private bool EvalRef(Value?[] f, RefTerm r, Func<Value, bool> k)
    {
        switch (r.Head)
        {
            case VarTerm { Slot: SpecialSlots.Data }:
                return EvalData(f, r.Path, 0, _policy.Root, _policy.Data, _dataOverrides is null ? null : [], k);
            case VarTerm { Slot: SpecialSlots.Input }:
                return _input is null || IndexPath(f, _input, r.Path, 0, k);
            case VarTerm { Slot: >= 0 } v:
                return f[v.Slot] is { } hv ? IndexPath(f, hv, r.Path, 0, k) : throw Unbound(v);
            default:
                return EvalTerm(f, r.Head, hv => IndexPath(f, hv, r.Path, 0, k));
        }
    }

    private bool IndexPath(Value?[] f, Value v, Term[] path, int i, Func<Value, bool> k)
    {
        while (i < path.Length)
        {
            var p = path[i];
            Value? key;
            if (p is ScalarTerm s)
            {
                key = s.Value;
            }
            else if (p is VarTerm { Slot: >= 0 } pv)
            {
                key = f[pv.Slot];
                if (key is null)
                {
                    return EnumerateInto(f, v, p, path, i, k);
                }
            }
            else if (HasUnbound(f, p))
            {
                return EnumerateInto(f, v, p, path, i, k);
            }
            else
            {
                var idx = i;
                return EvalTerm(f, p, kv =>
                {
                    var next = Lookup(v, kv);
                    return next is null || IndexPath(f, next, path, idx + 1, k);
                });
            }

            var n = Lookup(v, key);
            if (n is null)
            {
                return true;
            }

            v = n;
            i++;
        }

        return k(v);
    }

    // Enumerates the keys of a collection that unify with a path operand holding unbound variables.
    private bool EnumerateInto(Value?[] f, Value v, Term keyTerm, Term[] path, int i, Func<Value, bool> k0)
    {
        Func<Value, bool> k = x =>
        {
            Step();
            return k0(x);
        };
        if (!Elements(v, out var items, out var keys))
        {
            return true;
        }

        for (var j = 0; j < items.Length; j++)
        {
            var val = items[j];
            if (!UnifyValue(f, keyTerm, KeyAt(keys, j), () => IndexPath(f, val, path, i + 1, k)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Walks <c>data</c>: down the rule tree while the path is constant, then into the document of the node
    /// where rules (or a variable key) begin, merged with base data and <c>with data...</c> overrides.</summary>
    private bool EvalData(Value?[] f, Term[] path, int i, RuleNode? node, Value? baseValue, List<string>? at, Func<Value, bool> k)
    {
        while (true)
        {
            if (_dataOverrides is not null && FindOverride(at!) is { } ov)
            {
                return IndexPath(f, ov, path, i, k);
            }

            if (node is not null && (node.Rules.Count > 0 || node.Default is not null))
            {
                if (i < path.Length && IsMemberLookup(node) && GroundKey(f, path[i]) is { } member)
                {
                    // set[x] with x known: evaluate the rules for that member only, not the whole set.
                    return !IsSetMember(node, member) || IndexPath(f, member, path, i + 1, k);
                }

                var doc = NodeValue(node);
                return doc is null || IndexPath(f, doc, path, i, k);
            }

            if (node is not null && node.IsFunction)
            {
                return true;
            }

            if (node is null && baseValue is not ObjectValue && (_dataOverrides is null || !HasOverrideUnder(at!)))
            {
                // Below the rule tree, inside a base document that is not an object: plain indexing.
                return baseValue is null || IndexPath(f, baseValue, path, i, k);
            }

            if (i == path.Length)
            {
                var doc = node is not null ? NodeValue(node) : PatchOverrides(baseValue, at!);
                return doc is null || k(doc);
            }

            Value? key = path[i] switch
            {
                ScalarTerm s => s.Value,
                VarTerm { Slot: >= 0 } v => f[v.Slot],
                _ => null,
            };
            if (key is null && !HasUnbound(f, path[i]) && path[i] is not VarTerm)
            {
                // A computed key: evaluate it, then continue with each value.
                var idx = i;
                var n0 = node;
                var b0 = baseValue;
                return EvalTerm(f, path[i], kv =>
                {
                    var sub = (Term[])path.Clone();
                    sub[idx] = new ScalarTerm(kv, path[idx].Location);
                    return EvalData(f, sub, idx, n0, b0, at is null ? null : [.. at], k);
                });
            }

            key = DataPrefix.DataKey(key);
            if (key is StringValue ks)
            {
                var (child, baseChild) = DataPrefix.Child(node, baseValue, ks);
                at?.Add(ks.Value);
                if (child is null && baseChild is null && (_dataOverrides is null || !HasOverrideUnder(at!)))
                {
                    return true;
                }

                node = child;
                baseValue = baseChild;
                i++;
                continue;
            }

            if (key is not null)
            {
                // data has only string keys.
                return true;
            }

            var whole = node is not null ? NodeValue(node) : PatchOverrides(baseValue, at!);
            return whole is null || IndexPath(f, whole, path, i, k);
        }
    }

    private Value? FindOverride(List<string> at)
    {
        foreach (var (p, v) in _dataOverrides!)
        {
            if (p.AsSpan().SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(at)))
            {
                return v;
            }
        }

        return null;
    }

    private bool HasOverrideUnder(List<string> at)
    {
        foreach (var (p, _) in _dataOverrides!)
        {
            if (p.Length >= at.Count && p.AsSpan(0, at.Count).SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(at)))
            {
                return true;
            }
        }

        return false;
    }

    private Value? PatchOverrides(Value? doc, IReadOnlyList<string> at)
    {
        if (_dataOverrides is null)
        {
            return doc;
        }

        foreach (var (p, v) in _dataOverrides)
        {
            if (p.Length > at.Count && p.Take(at.Count).SequenceEqual(at))
            {
                doc = SetPath(doc, p[at.Count..], 0, v);
            }
            else if (p.Length <= at.Count && at.Take(p.Length).SequenceEqual(p))
            {
                // The override replaces an ancestor: read through it.
                Value? cur = v;
                for (var j = p.Length; j < at.Count && cur is not null; j++)
                {
                    cur = Lookup(cur, StringValue.Create(at[j]));
                }

                doc = cur;
            }
        }

        return doc;
    }
}
