using System.Globalization;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Collections;

/// <summary><c>json.filter</c> and <c>json.remove</c>: paths are JSON-pointer-like strings (<c>"a/b/0"</c>, a
/// leading slash optional, <c>~1</c> for '/' and <c>~0</c> for '~') or arrays of segments (<c>["a", "b"]</c>).
/// The paths are merged into a tree first, so a path wins over every longer path it is a prefix of.</summary>
internal static class JsonPaths
{
    public static Value Filter(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var obj = BuiltinArgs.Object(a, 0);
        var tree = BuildTree(a[1]);
        return Keep(obj, tree);
    }

    public static Value Remove(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var obj = BuiltinArgs.Object(a, 0);
        var tree = BuildTree(a[1]);
        return Drop(obj, tree) ?? ObjectValue.Empty;
    }

    /// <summary>Splits a string path into segments; null when the operand is neither a string nor an array.</summary>
    internal static Value[]? ParsePath(Value path)
    {
        switch (path)
        {
            case StringValue s:
                if (s.Value.Length == 0)
                {
                    return [];
                }

                var parts = s.Value.TrimStart('/').Split('/');
                var segments = new Value[parts.Length];
                for (var i = 0; i < parts.Length; i++)
                {
                    segments[i] = StringValue.Create(parts[i].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
                }

                return segments;
            case ArrayValue x:
                return x.Items.ToArray();
            default:
                return null;
        }
    }

    private static PathTree BuildTree(Value operand)
    {
        ReadOnlySpan<Value> items = operand switch
        {
            ArrayValue x => x.Items,
            SetValue s => s.Items,
            _ => throw CollectionOperandErrors.OneOfInOrder(1, operand, "set", "array"),
        };

        var root = new PathTree();
        foreach (var item in items)
        {
            var path = ParsePath(item) ?? throw BuiltinArgs.OperandError(
                1, $"must be one of {{set, array}} containing string paths or array of path segments but got {item.TypeName}");
            root.Add(path);
        }

        return root;
    }

    // What survives of value when the paths of tree are kept. A null tree is a leaf: the whole value is kept.
    private static Value Keep(Value value, PathTree? tree)
    {
        if (tree is null)
        {
            return value;
        }

        switch (value)
        {
            case ObjectValue o:
            {
                var b = new ObjectValue.Builder();
                foreach (var (key, sub) in tree.Children)
                {
                    if (o.TryGetValue(key, out var v))
                    {
                        b.Set(key, Keep(v, sub));
                    }
                }

                return b.ToValue();
            }

            case SetValue s:
            {
                var b = new SetValue.Builder();
                foreach (var item in s)
                {
                    if (tree.Children.TryGetValue(item, out var sub))
                    {
                        b.Add(Keep(item, sub));
                    }
                }

                return b.ToValue();
            }

            case ArrayValue arr:
            {
                // Array positions are addressed by their decimal string ("a/0/b").
                var items = new List<Value>();
                for (var i = 0; i < arr.Count; i++)
                {
                    if (tree.Children.TryGetValue(IndexKey(i), out var sub))
                    {
                        items.Add(Keep(arr[i], sub));
                    }
                }

                return ArrayValue.CreateRange(items);
            }

            default:
                return value;
        }
    }

    // What remains of value when the paths of tree are removed; null when value itself is removed.
    private static Value? Drop(Value value, PathTree? tree)
    {
        if (tree is null)
        {
            return null;
        }

        switch (value)
        {
            case ObjectValue o:
            {
                var b = new ObjectValue.Builder(o.Count);
                foreach (var (key, v) in o)
                {
                    var rest = tree.Children.TryGetValue(key, out var sub) ? Drop(v, sub) : v;
                    if (rest is not null)
                    {
                        b.Set(key, rest);
                    }
                }

                return b.ToValue();
            }

            case SetValue s:
            {
                var b = new SetValue.Builder(s.Count);
                foreach (var item in s)
                {
                    var rest = tree.Children.TryGetValue(item, out var sub) ? Drop(item, sub) : item;
                    if (rest is not null)
                    {
                        b.Add(rest);
                    }
                }

                return b.ToValue();
            }

            case ArrayValue arr:
            {
                // Removed positions close up, as a JSON Patch remove does.
                var items = new List<Value>(arr.Count);
                for (var i = 0; i < arr.Count; i++)
                {
                    var rest = tree.Children.TryGetValue(IndexKey(i), out var sub) ? Drop(arr[i], sub) : arr[i];
                    if (rest is not null)
                    {
                        items.Add(rest);
                    }
                }

                return ArrayValue.CreateRange(items);
            }

            default:
                return value;
        }
    }

    private static StringValue IndexKey(int i) => StringValue.Create(i.ToString(CultureInfo.InvariantCulture));

    // A node of merged paths; a child that is null ends a path there.
    private sealed class PathTree
    {
        public Dictionary<Value, PathTree?> Children { get; } = new(ValueComparer.Instance);

        public void Add(Value[] path)
        {
            if (path.Length == 0)
            {
                return;
            }

            var node = this;
            for (var i = 0; i < path.Length - 1; i++)
            {
                if (!node.Children.TryGetValue(path[i], out var child))
                {
                    child = new PathTree();
                    node.Children[path[i]] = child;
                }
                else if (child is null)
                {
                    // A shorter path already covers this one.
                    return;
                }

                node = child;
            }

            node.Children[path[^1]] = null;
        }
    }
}
