using AgentFabric.Rego.Values;
using Envoy.Config.Core.V3;
using Envoy.Service.Auth.V3;
using StatusCode = Envoy.Type.V3.StatusCode;
using HttpStatus = Envoy.Type.V3.HttpStatus;
using JsonParser = Google.Protobuf.JsonParser;
using Struct = Google.Protobuf.WellKnownTypes.Struct;
using RpcCode = Grpc.Core.StatusCode;
using RpcStatus = Google.Rpc.Status;

namespace AgentFabric.PolicyServer.Envoy;

/// <summary>Maps a policy result to a CheckResponse as OPA-Envoy does: <c>true</c>/<c>false</c> become status OK /
/// PERMISSION_DENIED; an object's <c>allowed</c> decides, and its <c>headers</c>, <c>response_headers_to_add</c>,
/// <c>request_headers_to_remove</c>, <c>query_parameters_to_set</c>/<c>_remove</c> (allowed) or <c>headers</c>,
/// <c>http_status</c>, <c>body</c> (denied) and <c>dynamic_metadata</c> fill the response.</summary>
internal static class EnvoyCheckResponse
{
    /// <summary>The response for <paramref name="result"/>; throws <see cref="EnvoyExtAuthzException"/> for a result
    /// of the wrong shape (never maps one to an allow).</summary>
    public static CheckResponse FromResult(Value result)
    {
        switch (result)
        {
            case BooleanValue b:
                return new CheckResponse { Status = StatusOf(b.Value) };
            case ObjectValue o:
                return FromObject(o);
            default:
                throw new EnvoyExtAuthzException($"envoy ext_authz: illegal value for policy evaluation result: {result.TypeName}");
        }
    }

    private static CheckResponse FromObject(ObjectValue o)
    {
        var allowed = o.Get("allowed") switch
        {
            null => throw new EnvoyExtAuthzException("envoy ext_authz: unable to determine evaluation result due to missing \"allowed\" key"),
            BooleanValue b => b.Value,
            var other => throw new EnvoyExtAuthzException($"envoy ext_authz: expected \"allowed\" to be a boolean but got {other.TypeName}"),
        };

        var response = new CheckResponse { Status = StatusOf(allowed) };
        var headers = HeaderOptions(o.Get("headers"), "headers");
        if (allowed)
        {
            var ok = new OkHttpResponse();
            ok.Headers.AddRange(headers);
            ok.ResponseHeadersToAdd.AddRange(HeaderOptions(o.Get("response_headers_to_add"), "response_headers_to_add"));
            ok.HeadersToRemove.AddRange(Strings(o.Get("request_headers_to_remove"), "request_headers_to_remove"));
            ok.QueryParametersToSet.AddRange(QueryParameters(o.Get("query_parameters_to_set")));
            ok.QueryParametersToRemove.AddRange(Strings(o.Get("query_parameters_to_remove"), "query_parameters_to_remove"));
            response.OkResponse = ok;
        }
        else
        {
            var denied = new DeniedHttpResponse { Status = new HttpStatus { Code = HttpStatusOf(o.Get("http_status")) } };
            denied.Headers.AddRange(headers);
            denied.Body = o.Get("body") switch
            {
                null => string.Empty,
                StringValue s => s.Value,
                var other => throw new EnvoyExtAuthzException($"envoy ext_authz: expected \"body\" to be a string but got {other.TypeName}"),
            };
            response.DeniedResponse = denied;
        }

        switch (o.Get("dynamic_metadata"))
        {
            case null:
                break;
            case ObjectValue metadata:
                response.DynamicMetadata = JsonParser.Default.Parse<Struct>(metadata.ToJson());
                break;
            case var other:
                throw new EnvoyExtAuthzException($"envoy ext_authz: expected \"dynamic_metadata\" to be an object but got {other.TypeName}");
        }

        return response;
    }

    private static RpcStatus StatusOf(bool allowed) =>
        new() { Code = (int)(allowed ? RpcCode.OK : RpcCode.PermissionDenied) };

    // Denied responses default to 403, as OPA-Envoy's; a code must be one Go's http.StatusText knows.
    private static StatusCode HttpStatusOf(Value? value)
    {
        switch (value)
        {
            case null:
                return StatusCode.Forbidden;
            case NumberValue n when n.TryGetInt32(out var code):
                if (!EnvoyHttpStatusCodes.IsKnown(code))
                {
                    throw new EnvoyExtAuthzException($"envoy ext_authz: invalid HTTP status code {code}");
                }

                return (StatusCode)code;
            case NumberValue n:
                throw new EnvoyExtAuthzException($"envoy ext_authz: \"http_status\" {n.Text} is not an integer HTTP status code");
            default:
                throw new EnvoyExtAuthzException($"envoy ext_authz: expected \"http_status\" to be a number but got {value.TypeName}");
        }
    }

    // An object of name → string or array of strings, or an array of such objects; one option per value.
    private static List<HeaderValueOption> HeaderOptions(Value? value, string field)
    {
        var options = new List<HeaderValueOption>();
        switch (value)
        {
            case null:
                break;
            case ObjectValue o:
                AddHeaders(o, field, options);
                break;
            case ArrayValue a:
                foreach (var item in a.Items)
                {
                    AddHeaders(item as ObjectValue
                        ?? throw new EnvoyExtAuthzException($"envoy ext_authz: expected \"{field}\" items to be objects but got {item.TypeName}"), field, options);
                }

                break;
            default:
                throw new EnvoyExtAuthzException($"envoy ext_authz: expected \"{field}\" to be an object but got {value.TypeName}");
        }

        return options;
    }

    private static void AddHeaders(ObjectValue headers, string field, List<HeaderValueOption> options)
    {
        foreach (var (key, value) in headers)
        {
            var name = key is StringValue s ? s.Value : throw new EnvoyExtAuthzException($"envoy ext_authz: \"{field}\" has a non-string name {key.TypeName}");
            foreach (var v in StringOrStrings(value, $"{field}.{name}"))
            {
                options.Add(new HeaderValueOption { Header = new HeaderValue { Key = name, Value = v } });
            }
        }
    }

    private static List<QueryParameter> QueryParameters(Value? value)
    {
        var parameters = new List<QueryParameter>();
        switch (value)
        {
            case null:
                break;
            case ObjectValue o:
                foreach (var (key, item) in o)
                {
                    var name = key is StringValue s ? s.Value : throw new EnvoyExtAuthzException($"envoy ext_authz: \"query_parameters_to_set\" has a non-string name {key.TypeName}");
                    foreach (var v in StringOrStrings(item, $"query_parameters_to_set.{name}"))
                    {
                        parameters.Add(new QueryParameter { Key = name, Value = v });
                    }
                }

                break;
            default:
                throw new EnvoyExtAuthzException($"envoy ext_authz: expected \"query_parameters_to_set\" to be an object but got {value.TypeName}");
        }

        return parameters;
    }

    private static IEnumerable<string> StringOrStrings(Value value, string field) => value switch
    {
        StringValue s => [s.Value],
        ArrayValue or SetValue => Strings(value, field),
        _ => throw new EnvoyExtAuthzException($"envoy ext_authz: expected \"{field}\" to be a string or an array of strings but got {value.TypeName}"),
    };

    private static List<string> Strings(Value? value, string field)
    {
        var items = value switch
        {
            null => [],
            ArrayValue a => a.Items.ToArray(),
            SetValue s => s.Items.ToArray(),
            _ => throw new EnvoyExtAuthzException($"envoy ext_authz: expected \"{field}\" to be an array of strings but got {value.TypeName}"),
        };
        return items.Select(i => i is StringValue s ? s.Value
            : throw new EnvoyExtAuthzException($"envoy ext_authz: expected \"{field}\" to hold strings but it holds a {i.TypeName}")).ToList();
    }
}
