using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentFabric.Rego.Values;
using Google.Protobuf.Collections;

namespace AgentFabric.PolicyServer.Envoy;

/// <summary>OPA-Envoy's <c>input.parsed_body</c> and <c>input.truncated_body</c>: a JSON or form-urlencoded request
/// body (as Envoy forwards it with <c>with_request_body</c>) parsed by its <c>content-type</c>.</summary>
internal static class EnvoyRequestBody
{
    /// <summary>The parsed body (null for no body or a content type that is not parsed) and whether Envoy truncated
    /// it. Throws <see cref="EnvoyExtAuthzException"/> for a body that claims a parsed type but is not one, a bad
    /// <c>content-length</c>, or a body over <paramref name="maxBytes"/>.</summary>
    public static (Value Parsed, bool Truncated) Parse(MapField<string, string> headers, string body, Google.Protobuf.ByteString rawBody, int maxBytes)
    {
        // Envoy lower-cases header names in CheckRequest.attributes.request.http.headers.
        if (!headers.TryGetValue("content-type", out var contentType))
        {
            return (NullValue.Instance, false);
        }

        var isJson = contentType.Contains("application/json", StringComparison.Ordinal);
        var isForm = contentType.Contains("application/x-www-form-urlencoded", StringComparison.Ordinal);
        if (!isJson && !isForm)
        {
            return (NullValue.Instance, false);
        }

        // Envoy sends the body as `body` (UTF-8) or, with pack_as_bytes, as `raw_body`.
        var byteLength = body.Length > 0 ? Encoding.UTF8.GetByteCount(body) : rawBody.Length;
        if (byteLength == 0)
        {
            return (NullValue.Instance, false);
        }

        if (byteLength > maxBytes)
        {
            throw new EnvoyExtAuthzException($"envoy ext_authz: request body of {byteLength} bytes exceeds the {maxBytes}-byte parse limit");
        }

        // A content-length larger than what Envoy forwarded means Envoy cut the body (max_request_bytes).
        if (headers.TryGetValue("content-length", out var lengthText))
        {
            if (!long.TryParse(lengthText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var declared))
            {
                throw new EnvoyExtAuthzException($"envoy ext_authz: content-length \"{lengthText}\" is not an integer");
            }

            if (declared != -1 && declared > byteLength)
            {
                return (NullValue.Instance, true);
            }
        }

        var text = body.Length > 0 ? body : rawBody.ToStringUtf8();
        if (isJson)
        {
            try
            {
                return (Value.ParseJson(text), false);
            }
            catch (JsonException e)
            {
                throw new EnvoyExtAuthzException($"envoy ext_authz: request body is not JSON: {e.Message}", e);
            }
        }

        return (EnvoyRequestTarget.ParseQuery(text, strict: true)
            ?? throw new EnvoyExtAuthzException("envoy ext_authz: request body is not valid application/x-www-form-urlencoded"), false);
    }
}
