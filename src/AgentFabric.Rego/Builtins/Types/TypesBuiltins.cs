using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Types;

internal static class TypesBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        RegoType[] any = [RegoType.Any];
        r.Register("is_number", any, RegoType.Boolean, static (_, a) => BooleanValue.Create(a[0].Kind == ValueKind.Number));
        r.Register("is_string", any, RegoType.Boolean, static (_, a) => BooleanValue.Create(a[0].Kind == ValueKind.String));
        r.Register("is_boolean", any, RegoType.Boolean, static (_, a) => BooleanValue.Create(a[0].Kind == ValueKind.Boolean));
        r.Register("is_array", any, RegoType.Boolean, static (_, a) => BooleanValue.Create(a[0].Kind == ValueKind.Array));
        r.Register("is_set", any, RegoType.Boolean, static (_, a) => BooleanValue.Create(a[0].Kind == ValueKind.Set));
        r.Register("is_object", any, RegoType.Boolean, static (_, a) => BooleanValue.Create(a[0].Kind == ValueKind.Object));
        r.Register("is_null", any, RegoType.Boolean, static (_, a) => BooleanValue.Create(a[0].Kind == ValueKind.Null));
        r.Register("type_name", any, RegoType.String, static (_, a) => StringValue.Create(a[0].TypeName));
    }
}
