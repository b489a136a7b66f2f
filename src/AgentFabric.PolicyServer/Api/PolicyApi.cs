using AgentFabric.Authorization.Bundles;
using AgentFabric.PolicyServer.State;
using AgentFabric.Rego;
using AgentFabric.Rego.Ast;

namespace AgentFabric.PolicyServer.Api;

/// <summary>OPA's Policy API: <c>GET /v1/policies</c>, <c>GET|PUT|DELETE /v1/policies/{id}</c>. Modules are returned
/// with <c>id</c> and <c>raw</c>; OPA's <c>ast</c> is not produced.</summary>
internal sealed class PolicyApi(PolicyServerRuntime runtime)
{
    public Task ListAsync(HttpContext context) => ApiResponse.GuardAsync(context, () =>
        ApiResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("result");
            foreach (var (id, module) in runtime.Activator.Local.Policies.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                WritePolicy(w, id, module);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }));

    public Task GetAsync(HttpContext context, string id) => ApiResponse.GuardAsync(context, () =>
    {
        if (!runtime.Activator.Local.Policies.TryGetValue(id, out var module))
        {
            throw NotFound(id);
        }

        return ApiResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("result");
            WritePolicy(w, id, module);
            w.WriteEndObject();
        });
    });

    public Task PutAsync(HttpContext context, string id) => ApiResponse.GuardAsync(context, async () =>
    {
        var text = System.Text.Encoding.UTF8.GetString(await ApiRequest.ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false));
        if (!RegoEngine.TryParseModule(id, text, RegoVersion.V1, out var module, out var parseError))
        {
            throw new OpaErrorException(OpaError.FromRego(parseError!, 400, OpaError.CompileModuleMessage));
        }

        var package = module!.Package.SkipWhile((s, i) => i == 0 && s == "data").ToArray();
        if (runtime.Activator.OwnerOf(package) is { } bundle)
        {
            throw new OpaErrorException(OpaError.BadRequest($"path {DataPath.Display(package)} is owned by bundle \"{bundle}\""));
        }

        Update(local => local with { Policies = new Dictionary<string, RegoModuleSource>(local.Policies, StringComparer.Ordinal) { [id] = new RegoModuleSource(id, text) } });
        await ApiResponse.WriteEmptyObjectAsync(context).ConfigureAwait(false);
    });

    public Task DeleteAsync(HttpContext context, string id) => ApiResponse.GuardAsync(context, async () =>
    {
        Update(local =>
        {
            if (!local.Policies.ContainsKey(id))
            {
                throw NotFound(id);
            }

            var next = new Dictionary<string, RegoModuleSource>(local.Policies, StringComparer.Ordinal);
            next.Remove(id);
            return local with { Policies = next };
        });
        await ApiResponse.WriteEmptyObjectAsync(context).ConfigureAwait(false);
    });

    private static OpaErrorException NotFound(string id) => new(OpaError.NotFound($"storage_not_found_error: policy id \"{id}\""));

    private void Update(Func<LocalDocuments, LocalDocuments> change)
    {
        try
        {
            runtime.Activator.UpdateLocal(change);
        }
        catch (RegoException e)
        {
            // A compile error (the new module, or a module depending on the deleted one): nothing changed.
            throw new OpaErrorException(OpaError.FromRego(e, 400, OpaError.CompileModuleMessage));
        }
        catch (BundleException e)
        {
            throw new OpaErrorException(new OpaError(400, OpaError.InvalidParameter, e.Detail));
        }
    }

    private static void WritePolicy(System.Text.Json.Utf8JsonWriter w, string id, RegoModuleSource module)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("raw", module.Text);
        w.WriteEndObject();
    }
}
