using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Collections;

internal static class ObjectsBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var anyObject = RegoType.ObjectOf(RegoType.Any, RegoType.Any);
        var keys = RegoType.AnyOf(RegoType.ArrayOf(RegoType.Any), anyObject, RegoType.SetOf(RegoType.Any));
        r.Register("object.get", [anyObject, RegoType.Any, RegoType.Any], RegoType.Any, ObjectsFunctions.Get);
        r.Register("object.keys", [anyObject], RegoType.SetOf(RegoType.Any), static (_, a) => SetValue.Create(BuiltinArgs.Object(a, 0).Keys));
        r.Register("object.remove", [anyObject, keys], anyObject, ObjectsFunctions.Remove);
        r.Register("object.filter", [anyObject, keys], anyObject, ObjectsFunctions.Filter);
        r.Register("object.union", [anyObject, anyObject], anyObject, static (_, a) => ObjectsFunctions.Merge(BuiltinArgs.Object(a, 0), BuiltinArgs.Object(a, 1)));
        r.Register("object.union_n", [RegoType.ArrayOf(anyObject)], anyObject, ObjectsFunctions.UnionN);
        r.Register("object.subset", [keys, keys], RegoType.Boolean, ObjectSubset.Invoke);

        var paths = RegoType.AnyOf(
            RegoType.ArrayOf(RegoType.AnyOf(RegoType.String, RegoType.ArrayOf(RegoType.Any))),
            RegoType.SetOf(RegoType.AnyOf(RegoType.String, RegoType.ArrayOf(RegoType.Any))));
        r.Register("json.filter", [anyObject, paths], anyObject, JsonPaths.Filter);
        r.Register("json.remove", [anyObject, paths], anyObject, JsonPaths.Remove);
    }
}

/// <summary>The object family: get, keys, remove, filter, union, union_n.</summary>
internal static class ObjectsFunctions
{
    // object.get(obj, key, default): a non-array key is one top-level key; an array is a path, which may descend
    // through objects, arrays (integer indexes) and sets (members); [] is the object itself.
    public static Value Get(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var obj = BuiltinArgs.Object(a, 0);
        if (a[1] is not ArrayValue path)
        {
            return obj.Get(a[1]) ?? a[2];
        }

        return Find(obj, path.Items) ?? a[2];
    }

    public static Value Remove(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var obj = BuiltinArgs.Object(a, 0);
        var remove = KeySet(a[1]);
        if (remove.Count == 0)
        {
            return obj;
        }

        var b = new ObjectValue.Builder(obj.Count);
        foreach (var (k, v) in obj)
        {
            if (!remove.Contains(k))
            {
                b.Set(k, v);
            }
        }

        return b.ToValue();
    }

    public static Value Filter(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var obj = BuiltinArgs.Object(a, 0);
        var keep = KeySet(a[1]);
        var b = new ObjectValue.Builder(keep.Count);
        foreach (var key in keep)
        {
            if (obj.TryGetValue(key, out var v))
            {
                b.Set(key, v);
            }
        }

        return b.ToValue();
    }

    // object.union(a, b): b's entries win, except that two object values are merged recursively.
    public static ObjectValue Merge(ObjectValue left, ObjectValue right)
    {
        if (left.Equals(right) || right.Count == 0)
        {
            return left;
        }

        var b = new ObjectValue.Builder(left);
        foreach (var (k, v) in right)
        {
            b.Set(k, b.Get(k) is ObjectValue l && v is ObjectValue r ? Merge(l, r) : v);
        }

        return b.ToValue();
    }

    // object.union_n([a, b, c]) is union(union(a, b), c): a later non-object value replaces an earlier object.
    public static Value UnionN(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var objects = BuiltinArgs.Array(a, 0);
        var result = ObjectValue.Empty;
        foreach (var item in objects)
        {
            var o = item as ObjectValue ?? throw CollectionOperandErrors.Element(0, objects, item, "object");
            result = Merge(result, o);
        }

        return result;
    }

    /// <summary>The value at a path of keys (objects), indexes (arrays) or members (sets); null when absent.</summary>
    internal static Value? Find(Value root, ReadOnlySpan<Value> path)
    {
        var current = root;
        foreach (var key in path)
        {
            switch (current)
            {
                case ObjectValue o when o.TryGetValue(key, out var v):
                    current = v;
                    break;
                case ArrayValue arr when key is NumberValue n && n.TryGetInt32(out var i) && i >= 0 && i < arr.Count:
                    current = arr[i];
                    break;
                case SetValue s when s.Contains(key):
                    current = key;
                    break;
                default:
                    return null;
            }
        }

        return current;
    }

    // The keys operand of object.remove / object.filter: an array's elements, a set, or an object's keys.
    private static SetValue KeySet(Value operand) => operand switch
    {
        ArrayValue x => SetValue.Create(x.Items),
        SetValue s => s,
        ObjectValue o => SetValue.Create(o.Keys),
        _ => throw CollectionOperandErrors.OneOfInOrder(1, operand, "object", "set", "array"),
    };
}
