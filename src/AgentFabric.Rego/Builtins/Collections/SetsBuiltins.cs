using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Collections;

internal static class SetsBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var anySet = RegoType.SetOf(RegoType.Any);
        var setOfSets = RegoType.SetOf(anySet);
        r.Register("intersection", [setOfSets], anySet, SetsFunctions.Intersection);
        r.Register("union", [setOfSets], anySet, SetsFunctions.Union);

        // Deprecated forms of "-" and of set comprehensions; kept for v0 policies.
        r.Register("set_diff", [anySet, anySet], anySet, static (_, a) => BuiltinArgs.Set(a, 0).Except(BuiltinArgs.Set(a, 1)), BuiltinFlags.Deprecated);
        r.Register(
            "cast_set",
            [RegoType.Any],
            anySet,
            static (_, a) => a[0] switch
            {
                SetValue s => s,
                ArrayValue x => SetValue.Create(x.Items),
                _ => throw BuiltinArgs.TypeMismatch(0, a[0], "array", "set"),
            },
            BuiltinFlags.Deprecated);
    }
}

/// <summary>The sets family: n-ary intersection and union.</summary>
internal static class SetsFunctions
{
    public static Value Intersection(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var sets = BuiltinArgs.Set(a, 0);
        SetValue? result = null;
        foreach (var item in sets)
        {
            var s = item as SetValue ?? throw BuiltinArgs.TypeMismatch(0, item, "set");
            result = result is null ? s : result.Intersect(s);
        }

        return result ?? SetValue.Empty;
    }

    public static Value Union(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var sets = BuiltinArgs.Set(a, 0);
        var builder = new SetValue.Builder();
        foreach (var item in sets)
        {
            var s = item as SetValue ?? throw BuiltinArgs.TypeMismatch(0, item, "set");
            foreach (var element in s)
            {
                builder.Add(element);
            }
        }

        return builder.ToValue();
    }
}
