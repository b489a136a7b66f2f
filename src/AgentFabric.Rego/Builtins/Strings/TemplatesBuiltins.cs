using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Strings;

internal static class TemplatesBuiltins
{
    internal static void Register(BuiltinRegistry r) =>
        r.Register(
            "strings.render_template",
            [RegoType.String, RegoType.ObjectOf(RegoType.String, RegoType.Any)],
            RegoType.String,
            static (ctx, a) =>
            {
                var text = BuiltinArgs.String(a, 0);
                var variables = BuiltinArgs.Object(a, 1);
                return StringValue.Create(GoTemplate.Parse(text).Execute(variables, ctx.CancellationToken));
            });
}
