using System.Globalization;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>Removes or upserts at a JSON pointer (RFC 6901) inside an immutable Rego value, returning the new value;
/// a pointer to something that does not exist changes nothing (OPA: "Masking operations on undefined pointers are
/// ignored").</summary>
internal static class JsonPointerEdit
{
    /// <summary>The unescaped segments of <paramref name="pointer"/> (RFC 6901 §4: <c>~1</c> is <c>/</c>, <c>~0</c> is
    /// <c>~</c>); false when it does not start with <c>/</c>.</summary>
    public static bool TryParse(string pointer, out string[] segments)
    {
        if (!pointer.StartsWith('/'))
        {
            segments = [];
            return false;
        }

        segments = pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        return true;
    }

    /// <summary>The value without what the path names; <paramref name="applied"/> false when it names nothing.</summary>
    public static Value Remove(Value node, ReadOnlySpan<string> path, out bool applied)
    {
        applied = false;
        var key = path[0];
        switch (node)
        {
            case ObjectValue o when o.Get(key) is { } child:
                if (path.Length == 1)
                {
                    applied = true;
                    return o.Without(key);
                }

                var edited = Remove(child, path[1..], out applied);
                return applied ? o.With(key, edited) : o;
            case ArrayValue a when TryIndex(key, a.Count, out var i):
                if (path.Length == 1)
                {
                    applied = true;
                    return ArrayValue.CreateRange(a.Items.ToArray().Where((_, j) => j != i));
                }

                var item = Remove(a[i], path[1..], out applied);
                return applied ? Replace(a, i, item) : a;
            default:
                return node;
        }
    }

    /// <summary>The value with <paramref name="value"/> at the path; missing objects on the way are created, an
    /// array index must exist.</summary>
    public static Value Upsert(Value? node, ReadOnlySpan<string> path, Value value, out bool applied)
    {
        applied = false;
        if (path.IsEmpty)
        {
            applied = true;
            return value;
        }

        var key = path[0];
        switch (node)
        {
            case null:
                var created = Upsert(ObjectValue.Empty, path, value, out applied);
                return created;
            case ObjectValue o:
                var edited = Upsert(o.Get(key), path[1..], value, out applied);
                return applied ? o.With(key, edited) : o;
            case ArrayValue a when TryIndex(key, a.Count, out var i):
                var item = Upsert(a[i], path[1..], value, out applied);
                return applied ? Replace(a, i, item) : a;
            default:
                return node;
        }
    }

    private static ArrayValue Replace(ArrayValue a, int index, Value item)
    {
        var items = a.Items.ToArray();
        items[index] = item;
        return ArrayValue.Create(items);
    }

    private static bool TryIndex(string segment, int count, out int index) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < count &&
        (segment.Length == 1 || segment[0] != '0');
}
