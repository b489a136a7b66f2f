using AgentFabric.Authorization.Bundles;
using AgentFabric.PolicyServer.State;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.PolicyServer.Api;

/// <summary>OPA's Data API writes: <c>PUT</c> (with <c>If-None-Match: *</c>), <c>PATCH</c> (JSON Patch, RFC 6902,
/// ops add/remove/replace, each op's path joined to the URL's) and <c>DELETE</c>, all answered 204. Each request is
/// one atomic swap through the activator; writes under a bundle's roots are refused as OPA refuses them.</summary>
internal sealed class DataWriteApi(PolicyServerRuntime runtime)
{
    public Task PutAsync(HttpContext context, string? path) => ApiResponse.GuardAsync(context, async () =>
    {
        var segments = DataPath.Segments(path);
        var value = ApiRequest.ParseJson(await ApiRequest.ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false), "body contains malformed JSON");
        RefuseBundleOwned(segments);
        if (context.Request.Headers.IfNoneMatch == "*" && DataDocumentEditor.Get(runtime.Activator.Store.Current.Data, segments) is not null)
        {
            // OPA docs "Create or Overwrite a Document": If-None-Match: * and the document exists → 304.
            context.Response.StatusCode = 304;
            return;
        }

        Write(local => local with { Data = DataDocumentEditor.Put(local.Data, segments, value) });
        context.Response.StatusCode = 204;
    });

    public Task PatchAsync(HttpContext context, string? path) => ApiResponse.GuardAsync(context, async () =>
    {
        var segments = DataPath.Segments(path);
        var body = ApiRequest.ParseJson(await ApiRequest.ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false), "body contains malformed JSON");
        if (body is not ArrayValue ops)
        {
            throw new OpaErrorException(OpaError.BadRequest("body must be a JSON Patch document: an array of operations"));
        }

        var edits = new List<(string Op, string[] Path, Value? Value)>();
        foreach (var item in ops)
        {
            if (item is not ObjectValue op || op.Get("op") is not StringValue { Value: var kind } || op.Get("path") is not StringValue { Value: var pointer })
            {
                throw new OpaErrorException(OpaError.BadRequest("each patch operation must be an object with string \"op\" and \"path\""));
            }

            if (kind is not ("add" or "remove" or "replace"))
            {
                throw new OpaErrorException(OpaError.BadRequest($"invalid patch operation \"{kind}\": want add, remove or replace"));
            }

            var value = op.Get("value");
            if (kind != "remove" && value is null)
            {
                throw new OpaErrorException(OpaError.BadRequest($"patch operation \"{kind}\" at \"{pointer}\" has no \"value\""));
            }

            // RFC 6901 §4: ~1 is '/', ~0 is '~'.
            var full = segments.Concat(pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))).ToArray();
            RefuseBundleOwned(full);
            edits.Add((kind, full, value));
        }

        Write(local =>
        {
            var data = local.Data;
            foreach (var (kind, full, value) in edits)
            {
                data = kind switch
                {
                    "add" => DataDocumentEditor.Add(data, full, value!),
                    "replace" => DataDocumentEditor.Replace(data, full, value!),
                    _ => DataDocumentEditor.Remove(data, full),
                };
            }

            return local with { Data = data };
        });
        context.Response.StatusCode = 204;
    });

    public Task DeleteAsync(HttpContext context, string? path) => ApiResponse.GuardAsync(context, () =>
    {
        var segments = DataPath.Segments(path);
        RefuseBundleOwned(segments);
        Write(local => local with { Data = DataDocumentEditor.Remove(local.Data, segments) });
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    });

    private void RefuseBundleOwned(IReadOnlyList<string> segments)
    {
        if (runtime.Activator.OwnerOf(segments) is { } bundle)
        {
            // OPA server.go checkPathScope: a 400 naming the owner.
            throw new OpaErrorException(OpaError.BadRequest($"path {DataPath.Display(segments)} is owned by bundle \"{bundle}\""));
        }
    }

    private void Write(Func<LocalDocuments, LocalDocuments> change)
    {
        try
        {
            runtime.Activator.UpdateLocal(change);
        }
        catch (RegoException e)
        {
            throw new OpaErrorException(OpaError.FromRego(e, 400, OpaError.CompileModuleMessage));
        }
        catch (BundleException e)
        {
            throw new OpaErrorException(new OpaError(404, OpaError.ResourceConflict, e.Detail));
        }
    }
}
