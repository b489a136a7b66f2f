using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFabric.Edge.Exchange;

/// <summary>
/// The <c>act</c> chain (RFC 8693 §4.1): the new token's <c>act</c> names the calling agent and nests the subject
/// token's own <c>act</c>. It is computed from the claims the subject token carries, never from which parameters
/// were sent, so re-exchanging a delegated token without an actor token cannot shed its chain (act laundering).
/// </summary>
public static class DelegationChain
{
    /// <summary>The new <c>act</c> object. Throws <see cref="TokenExchangeException"/> (<c>invalid_request</c>) for a
    /// malformed <c>act</c> or a chain deeper than <paramref name="maxDepth"/>.</summary>
    public static JsonObject Extend(JsonElement subjectClaims, string actor, int maxDepth)
    {
        var act = new JsonObject { ["sub"] = actor };
        if (subjectClaims.TryGetProperty("act", out var previous))
        {
            if (previous.ValueKind != JsonValueKind.Object)
            {
                // RFC 8693 §4.1: act is a JSON object.
                throw TokenExchangeException.InvalidRequest("The subject token's act claim is not a JSON object.");
            }

            act["act"] = JsonNode.Parse(previous.GetRawText());
        }

        var depth = Depth(act);
        if (depth > maxDepth)
        {
            throw TokenExchangeException.InvalidRequest($"The delegation chain would have {depth} actors; the limit is {maxDepth}.");
        }

        return act;
    }

    /// <summary>How many actors an <c>act</c> object holds, itself included.</summary>
    public static int Depth(JsonObject act)
    {
        var depth = 0;
        for (JsonNode? node = act; node is JsonObject o; node = o["act"])
        {
            depth++;
        }

        return depth;
    }
}
