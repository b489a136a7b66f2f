namespace AgentFabric.Rego;

public static partial class BuiltinCatalog
{
    static partial void RegisterJsonPatch(BuiltinRegistry r)
    {
        var operation = RegoType.ObjectWith(
            [("op", RegoType.String), ("path", RegoType.Any)],
            RegoType.Any,
            RegoType.Any);
        r.Register("json.patch", [RegoType.Any, RegoType.ArrayOf(operation)], RegoType.Any, JsonPatch.Invoke);
    }
}
