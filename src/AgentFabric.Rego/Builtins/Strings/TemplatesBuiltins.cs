namespace AgentFabric.Rego;

public static partial class BuiltinCatalog
{
    static partial void RegisterTemplates(BuiltinRegistry r) =>
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
