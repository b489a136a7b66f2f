using System.Text.Json;
using AgentFabric.Rego.Values;
using Envoy.Service.Auth.V3;
using Google.Protobuf;

namespace AgentFabric.PolicyServer.Envoy;

/// <summary>Builds OPA-Envoy's input document from a v3 CheckRequest: the request in protobuf's canonical JSON
/// mapping (lowerCamel field names, defaults omitted, 64-bit integers as strings: OPA-Envoy's <c>protojson</c>), plus
/// <c>version</c>, <c>parsed_path</c>, <c>parsed_query</c> and, unless skipped, <c>parsed_body</c> and
/// <c>truncated_body</c>. The caller's SPIFFE ID is <c>input.attributes.source.principal</c> (Envoy's peer principal
/// from mTLS).</summary>
internal static class EnvoyCheckInput
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    private static readonly ObjectValue Version = ObjectValue.Create(
        ("encoding", StringValue.Create("protojson")),
        ("ext_authz", StringValue.Create("v3")));

    /// <summary>The input for <paramref name="request"/>; throws <see cref="EnvoyExtAuthzException"/> when the request
    /// cannot be represented (bad path, unparseable body, body over the limit, an Any of an unknown type).</summary>
    public static ObjectValue Build(CheckRequest request, EnvoyExtAuthzOptions options)
    {
        string json;
        try
        {
            json = Formatter.Format(request);
        }
        catch (InvalidOperationException e)
        {
            throw new EnvoyExtAuthzException($"envoy ext_authz: the CheckRequest has no JSON form: {e.Message}", e);
        }

        ObjectValue document;
        try
        {
            document = (ObjectValue)Value.ParseJson(json);
        }
        catch (JsonException e)
        {
            throw new EnvoyExtAuthzException($"envoy ext_authz: the CheckRequest's JSON form did not parse: {e.Message}", e);
        }

        var http = request.Attributes?.Request?.Http ?? new AttributeContext.Types.HttpRequest();
        var (parsedPath, parsedQuery) = EnvoyRequestTarget.Parse(http.Path);
        var builder = new ObjectValue.Builder(document);
        builder.Set("version", Version);
        builder.Set("parsed_path", parsedPath);
        builder.Set("parsed_query", parsedQuery);
        if (!options.SkipRequestBodyParse)
        {
            var (parsedBody, truncated) = EnvoyRequestBody.Parse(http.Headers, http.Body, http.RawBody, options.MaxParsedBodyBytes);
            builder.Set("parsed_body", parsedBody);
            builder.Set("truncated_body", BooleanValue.Create(truncated));
        }

        return builder.ToValue();
    }
}
