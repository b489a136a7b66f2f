using System.Net;
using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization;

/// <summary>Reads OPA's error body (server/types: <c>{"code": "...", "message": "...", "errors": [{"code", "message",
/// "location"}]}</c>) into a <see cref="RemotePolicyDecisionException"/>; a body of another shape keeps its text.</summary>
internal static class OpaErrorBody
{
    private const int MaxQuotedBody = 200;

    public static RemotePolicyDecisionException ToException(HttpStatusCode status, byte[] body)
    {
        Value? parsed;
        try
        {
            parsed = body.Length == 0 ? null : Value.ParseJson(body);
        }
        catch (JsonException)
        {
            parsed = null;
        }

        if (parsed is ObjectValue o && o.Get("code") is StringValue code)
        {
            var message = o.Get("message") is StringValue m ? m.Value : "";
            var errors = new List<string>();
            if (o.Get("errors") is ArrayValue list)
            {
                foreach (var e in list.Items)
                {
                    if (e is ObjectValue eo)
                    {
                        var c = eo.Get("code") is StringValue ec ? ec.Value + ": " : "";
                        errors.Add(c + (eo.Get("message") is StringValue em ? em.Value : ""));
                    }
                }
            }

            return new RemotePolicyDecisionException(status, code.Value, message, errors);
        }

        var text = System.Text.Encoding.UTF8.GetString(body);
        if (text.Length > MaxQuotedBody)
        {
            text = text[..MaxQuotedBody] + "...";
        }

        return new RemotePolicyDecisionException(status, null, text.Length == 0 ? "empty body" : $"body is not an OPA error: {text}", []);
    }
}
