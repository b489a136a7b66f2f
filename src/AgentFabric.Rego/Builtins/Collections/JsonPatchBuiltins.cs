namespace AgentFabric.Rego.Builtins.Collections;

internal static class JsonPatchBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var operation = RegoType.ObjectWith(
            [("op", RegoType.String), ("path", RegoType.Any)],
            RegoType.Any,
            RegoType.Any);
        r.Register("json.patch", [RegoType.Any, RegoType.ArrayOf(operation)], RegoType.Any, JsonPatch.Invoke);
    }
}
