using System.Globalization;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Collections;

/// <summary><c>json.patch(doc, ops)</c>: RFC 6902 operations applied in order. Besides JSON it addresses sets
/// (a member is its own key, so an added member must equal its key) and paths given as arrays of segments. Any
/// failing operation makes the result undefined, as in OPA; only a non-array operations operand is an error.</summary>
internal static class JsonPatch
{
    public static Value? Invoke(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var operations = BuiltinArgs.Array(a, 1);
        Value? doc = a[0];
        foreach (var item in operations)
        {
            if (item is not ObjectValue op || !TryApply(ref doc, op))
            {
                return null;
            }
        }

        return doc;
    }

    // doc becomes null when the root itself was removed; only an add at the root can bring it back.
    private static bool TryApply(ref Value? doc, ObjectValue op)
    {
        if (op.Get("op") is not StringValue { Value: var name } || op.Get("path") is not { } pathTerm)
        {
            return false;
        }

        Value? from = null, value = null;
        switch (name)
        {
            case "move" or "copy":
                from = op.Get("from");
                if (from is null)
                {
                    return false;
                }

                break;
            case "add" or "replace" or "test":
                value = op.Get("value");
                if (value is null)
                {
                    return false;
                }

                break;
            case "remove":
                break;
            default:
                return false; // RFC 6902 §4: an unknown op is an error.
        }

        var path = JsonPaths.ParsePath(pathTerm);
        if (path is null)
        {
            return false;
        }

        switch (name)
        {
            case "add":
                return TryAdd(ref doc, path, value!);
            case "remove":
                return TryRemove(ref doc, path, out _);
            case "replace":
                return TryRemove(ref doc, path, out _) && TryAdd(ref doc, path, value!);
            case "test":
                // RFC 6902 §4.6: the value at path must equal the given value.
                return doc is not null && ObjectsFunctions.Find(doc, AsIndexes(doc, path)) is { } found && found.Equals(value);
            default:
            {
                var fromPath = JsonPaths.ParsePath(from!);
                if (fromPath is null || doc is null || ObjectsFunctions.Find(doc, AsIndexes(doc, fromPath)) is not { } moved)
                {
                    return false;
                }

                // RFC 6902 §4.4: move removes first, then adds.
                return (name == "copy" || TryRemove(ref doc, fromPath, out _)) && TryAdd(ref doc, path, moved);
            }
        }
    }

    private static bool TryAdd(ref Value? doc, Value[] path, Value value)
    {
        if (path.Length == 0)
        {
            doc = value;
            return true;
        }

        if (doc is null)
        {
            return false;
        }

        var updated = Update(doc, path, 0, container => Insert(container, path[^1], value));
        if (updated is null)
        {
            return false;
        }

        doc = updated;
        return true;
    }

    private static bool TryRemove(ref Value? doc, Value[] path, out Value? removed)
    {
        removed = null;
        if (doc is null)
        {
            return false;
        }

        if (path.Length == 0)
        {
            removed = doc;
            doc = null;
            return true;
        }

        var updated = Update(doc, path, 0, container => Delete(container, path[^1]));
        if (updated is null)
        {
            return false;
        }

        doc = updated;
        return true;
    }

    // Rebuilds node with edit applied to the container at path[..^1]; null when the path does not exist.
    private static Value? Update(Value node, Value[] path, int depth, Func<Value, Value?> edit)
    {
        if (depth == path.Length - 1)
        {
            return edit(node);
        }

        var key = path[depth];
        switch (node)
        {
            case ObjectValue o when o.TryGetValue(key, out var child):
                return Update(child, path, depth + 1, edit) is { } newValue ? o.With(key, newValue) : null;
            case ArrayValue arr when TryIndex(key, arr.Count, out var i) && i < arr.Count:
            {
                if (Update(arr[i], path, depth + 1, edit) is not { } newChild)
                {
                    return null;
                }

                var items = arr.Items.ToArray();
                items[i] = newChild;
                return ArrayValue.Wrap(items);
            }

            case SetValue s when s.Contains(key):
            {
                if (Update(key, path, depth + 1, edit) is not { } newMember)
                {
                    return null;
                }

                var b = new SetValue.Builder(s.Except(SetValue.Create(key)));
                b.Add(newMember);
                return b.ToValue();
            }

            default:
                return null;
        }
    }

    private static Value? Insert(Value container, Value key, Value value)
    {
        switch (container)
        {
            case ObjectValue o:
                return o.With(key, value);
            case SetValue s:
            {
                if (!key.Equals(value))
                {
                    return null;
                }

                var b = new SetValue.Builder(s);
                b.Add(value);
                return b.ToValue();
            }

            case ArrayValue arr when TryIndex(key, arr.Count, out var i):
            {
                // RFC 6902 §4.1: the index may equal the length (append), not exceed it.
                var items = new List<Value>(arr.Count + 1);
                items.AddRange(arr.Items);
                items.Insert(i, value);
                return ArrayValue.Wrap(items.ToArray());
            }

            default:
                return null;
        }
    }

    private static Value? Delete(Value container, Value key)
    {
        switch (container)
        {
            case ObjectValue o when o.ContainsKey(key):
                return o.Without(key);
            case SetValue s when s.Contains(key):
                return s.Except(SetValue.Create(key));
            case ArrayValue arr when TryIndex(key, arr.Count, out var i) && i < arr.Count:
            {
                var items = new List<Value>(arr.Items.ToArray());
                items.RemoveAt(i);
                return ArrayValue.Wrap(items.ToArray());
            }

            default:
                return null;
        }
    }

    // An array position: an integer, or its decimal text without leading zeros (RFC 6901 §4), or "-" for the end.
    private static bool TryIndex(Value key, int count, out int index)
    {
        index = -1;
        switch (key)
        {
            case NumberValue n:
                return n.TryGetInt32(out index) && index >= 0 && index <= count;
            case StringValue { Value: "-" }:
                index = count;
                return true;
            case StringValue s:
                var text = s.Value;
                if (text.Length == 0 || (text.Length > 1 && text[0] == '0') || !text.All(char.IsAsciiDigit))
                {
                    return false;
                }

                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index <= count;
            default:
                return false;
        }
    }

    // ObjectsFunctions.Find addresses arrays by number only; patch paths address them by decimal strings too.
    private static Value[] AsIndexes(Value doc, Value[] path)
    {
        var result = new Value[path.Length];
        var node = (Value?)doc;
        for (var i = 0; i < path.Length; i++)
        {
            var key = path[i];
            if (node is ArrayValue arr && key is StringValue && TryIndex(key, arr.Count, out var index) && index < arr.Count)
            {
                key = NumberValue.Create(index);
            }

            result[i] = key;
            node = node is null ? null : ObjectsFunctions.Find(node, [key]);
        }

        return result;
    }
}
