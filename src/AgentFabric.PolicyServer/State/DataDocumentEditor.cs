using AgentFabric.PolicyServer.Api;
using AgentFabric.Rego.Values;

namespace AgentFabric.PolicyServer.State;

/// <summary>Edits the API-written data document as OPA's storage does (storage/inmem): <c>PUT</c> creates missing
/// parents, JSON Patch (RFC 6902 §4) <c>add</c>/<c>remove</c>/<c>replace</c> need the parent (and for remove and
/// replace the target) to exist. Values are immutable: each edit returns a new root.</summary>
internal static class DataDocumentEditor
{
    public static Value? Get(Value root, IReadOnlyList<string> path)
    {
        var current = root;
        foreach (var seg in path)
        {
            current = Child(current, seg);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>OPA's PUT: the value at <paramref name="path"/>, parents created as objects.</summary>
    public static ObjectValue Put(ObjectValue root, IReadOnlyList<string> path, Value value)
    {
        if (path.Count == 0)
        {
            return value as ObjectValue ?? throw Conflict(path, "the root of data must be an object");
        }

        return (ObjectValue)Set(root, path, 0, value, createParents: true, mode: EditMode.Put);
    }

    // RFC 6902 §4.1: add to an object member or insert into an array ("-" appends).
    public static ObjectValue Add(ObjectValue root, IReadOnlyList<string> path, Value value) =>
        path.Count == 0 ? Put(root, path, value) : (ObjectValue)Set(root, path, 0, value, createParents: false, mode: EditMode.Add);

    // RFC 6902 §4.3: the target must exist.
    public static ObjectValue Replace(ObjectValue root, IReadOnlyList<string> path, Value value)
    {
        if (path.Count > 0 && Get(root, path) is null)
        {
            throw NotFound(path);
        }

        return path.Count == 0 ? Put(root, path, value) : (ObjectValue)Set(root, path, 0, value, createParents: false, mode: EditMode.Replace);
    }

    // RFC 6902 §4.2: the target must exist.
    public static ObjectValue Remove(ObjectValue root, IReadOnlyList<string> path)
    {
        if (path.Count == 0)
        {
            return ObjectValue.Empty;
        }

        if (Get(root, path) is null)
        {
            throw NotFound(path);
        }

        return (ObjectValue)Delete(root, path, 0);
    }

    public static OpaErrorException NotFound(IReadOnlyList<string> path) =>
        new(OpaError.NotFound($"storage_not_found_error: {DataPath.Display(path)}: document does not exist"));

    private static OpaErrorException Conflict(IReadOnlyList<string> path, string why) =>
        new(new OpaError(400, OpaError.InvalidParameter, $"storage_write_conflict_error: {DataPath.Display(path)}: {why}"));

    private enum EditMode
    {
        Put,
        Add,
        Replace,
    }

    private static Value? Child(Value node, string seg) => node switch
    {
        ObjectValue o => o.Get(seg),
        ArrayValue a when int.TryParse(seg, out var i) && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    private static Value Set(Value node, IReadOnlyList<string> path, int at, Value value, bool createParents, EditMode mode)
    {
        var seg = path[at];
        var last = at == path.Count - 1;
        switch (node)
        {
            case ObjectValue o:
                if (last)
                {
                    return o.With(seg, value);
                }

                var child = o.Get(seg);
                if (child is null)
                {
                    if (!createParents)
                    {
                        throw NotFound(path.Take(at + 1).ToArray());
                    }

                    child = ObjectValue.Empty;
                }

                return o.With(seg, Set(child, path, at + 1, value, createParents, mode));
            case ArrayValue a:
                var items = a.Items.ToArray().ToList();
                if (last && mode == EditMode.Add && seg == "-")
                {
                    items.Add(value);
                    return ArrayValue.CreateRange(items);
                }

                if (!int.TryParse(seg, out var i) || i < 0 || i > items.Count || (i == items.Count && !(last && mode == EditMode.Add)))
                {
                    throw NotFound(path.Take(at + 1).ToArray());
                }

                if (last)
                {
                    if (mode == EditMode.Add)
                    {
                        items.Insert(i, value);
                    }
                    else
                    {
                        items[i] = value;
                    }
                }
                else
                {
                    items[i] = Set(items[i], path, at + 1, value, createParents, mode);
                }

                return ArrayValue.CreateRange(items);
            default:
                throw Conflict(path.Take(at).ToArray(), "not an object or array");
        }
    }

    private static Value Delete(Value node, IReadOnlyList<string> path, int at)
    {
        var seg = path[at];
        var last = at == path.Count - 1;
        switch (node)
        {
            case ObjectValue o:
                return last ? o.Without(seg) : o.With(seg, Delete(o.Get(seg)!, path, at + 1));
            case ArrayValue a:
                var i = int.Parse(seg, System.Globalization.CultureInfo.InvariantCulture);
                var items = a.Items.ToArray().ToList();
                if (last)
                {
                    items.RemoveAt(i);
                }
                else
                {
                    items[i] = Delete(items[i], path, at + 1);
                }

                return ArrayValue.CreateRange(items);
            default:
                throw NotFound(path);
        }
    }
}
