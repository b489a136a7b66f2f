using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Bundles;

/// <summary>Placing and merging data documents: objects merge key by key, any other overlap is a conflict.</summary>
internal static class BundleData
{
    public static Value Wrap(Value doc, IReadOnlyList<string> at)
    {
        for (var i = at.Count - 1; i >= 0; i--)
        {
            doc = ObjectValue.Create((at[i], doc));
        }

        return doc;
    }

    public static ObjectValue Merge(string bundle, string file, ObjectValue a, Value b) =>
        (ObjectValue)Merge(bundle, file, a, b, "");

    private static Value Merge(string bundle, string file, Value a, Value b, string path)
    {
        if (a is not ObjectValue ao || b is not ObjectValue bo)
        {
            throw new BundleException(bundle, BundleErrorReason.InvalidData, $"{file}: data at '{(path.Length == 0 ? "/" : path)}' conflicts with data from another file");
        }

        var merged = new ObjectValue.Builder(ao);
        foreach (var (k, v) in bo)
        {
            var key = k is StringValue s ? s.Value : k.ToString();
            merged.Set(k, ao.Get(k) is { } existing ? Merge(bundle, file, existing, v, $"{path}/{key}") : v);
        }

        return merged.ToValue();
    }
}
