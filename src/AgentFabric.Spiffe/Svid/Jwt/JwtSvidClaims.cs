using System.Text;
using System.Text.Json;

namespace AgentFabric.Spiffe.Svid.Jwt;

/// <summary>The claims of a JWT-SVID (JWT-SVID §3, RFC 7519 §4.1) read from the decoded payload.</summary>
internal sealed class JwtSvidClaims
{
    // RFC 7519 §2 NumericDate bounds that DateTimeOffset can hold.
    private static readonly long s_minSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long s_maxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private JwtSvidClaims(JsonElement root, SpiffeId id, string[] audience, DateTimeOffset expiry, DateTimeOffset? issuedAt, DateTimeOffset? notBefore)
    {
        Root = root;
        Id = id;
        Audience = audience;
        Expiry = expiry;
        IssuedAt = issuedAt;
        NotBefore = notBefore;
    }

    public JsonElement Root { get; }

    public SpiffeId Id { get; }

    public string[] Audience { get; }

    public DateTimeOffset Expiry { get; }

    public DateTimeOffset? IssuedAt { get; }

    public DateTimeOffset? NotBefore { get; }

    /// <summary>Reads the payload; returns the error text, or null with the claims.</summary>
    public static string? TryRead(byte[] payload, out JwtSvidClaims claims)
    {
        claims = null!;

        // RFC 7519 §7.2 step 10: the payload is the UTF-8 representation of a JSON object; anything else is refused
        // before a claim is read, so no claim value can fail to decode later.
        if (!Jose.JsonText.IsUtf8(payload))
        {
            return "jwtsvid: payload is not valid UTF-8";
        }

        if (!Jose.JsonText.HasOnlyValidEscapes(payload))
        {
            return "jwtsvid: payload is not valid JSON";
        }

        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(payload);
            root = JsonElement.ParseValue(ref reader);
            if (reader.Read())
            {
                return "jwtsvid: payload is not valid JSON";
            }
        }
        catch (JsonException)
        {
            return "jwtsvid: payload is not valid JSON";
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return "jwtsvid: payload is not a JSON object";
        }

        // RFC 7519 §4: claim names MUST be unique; a repeated name is rejected rather than resolved.
        if (Jose.JsonObjects.FindDuplicateName(root) is { } duplicate)
        {
            return $"jwtsvid: payload has duplicate claim \"{duplicate}\"";
        }

        // JWT-SVID §3.1: sub is the SPIFFE ID of the workload.
        if (!root.TryGetProperty("sub", out var sub))
        {
            return "jwtsvid: token has no \"sub\" claim";
        }

        if (sub.ValueKind != JsonValueKind.String)
        {
            return "jwtsvid: claim \"sub\" is not a string";
        }

        if (!SpiffeId.TryParse(sub.GetString(), out var id, out string? idError))
        {
            return "jwtsvid: claim \"sub\" is not a SPIFFE ID: " + idError;
        }

        // JWT-SVID §3.2, RFC 7519 §4.1.3: aud is present, a string or an array of strings, with one or more values.
        if (!root.TryGetProperty("aud", out var aud))
        {
            return "jwtsvid: token has no \"aud\" claim";
        }

        string[] audience;
        if (aud.ValueKind == JsonValueKind.String)
        {
            audience = [aud.GetString()!];
        }
        else if (aud.ValueKind == JsonValueKind.Array)
        {
            audience = new string[aud.GetArrayLength()];
            int i = 0;
            foreach (var value in aud.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.String)
                {
                    return "jwtsvid: claim \"aud\" is not a string or an array of strings";
                }

                audience[i++] = value.GetString()!;
            }

            if (audience.Length == 0)
            {
                return "jwtsvid: claim \"aud\" has no values";
            }
        }
        else
        {
            return "jwtsvid: claim \"aud\" is not a string or an array of strings";
        }

        // JWT-SVID §3.3: exp MUST be set.
        if (!root.TryGetProperty("exp", out var exp))
        {
            return "jwtsvid: token has no \"exp\" claim";
        }

        if (!TryReadNumericDate(exp, out var expiry))
        {
            return "jwtsvid: claim \"exp\" is not a NumericDate";
        }

        DateTimeOffset? notBefore = null;
        if (root.TryGetProperty("nbf", out var nbf))
        {
            if (!TryReadNumericDate(nbf, out var value))
            {
                return "jwtsvid: claim \"nbf\" is not a NumericDate";
            }

            notBefore = value;
        }

        DateTimeOffset? issuedAt = null;
        if (root.TryGetProperty("iat", out var iat))
        {
            if (!TryReadNumericDate(iat, out var value))
            {
                return "jwtsvid: claim \"iat\" is not a NumericDate";
            }

            issuedAt = value;
        }

        claims = new JwtSvidClaims(root, id, audience, expiry, issuedAt, notBefore);
        return null;
    }

    /// <summary>Checks exp, nbf and aud against the validator's clock and audience.</summary>
    public string? CheckTimeAndAudience(IReadOnlyList<string> expectedAudience, JwtSvidValidationOptions options)
    {
        var now = options.TimeProvider.GetUtcNow();
        var skew = options.ClockSkew;

        // RFC 7519 §4.1.4, JWT-SVID App. A: now must be before exp (plus the allowed leeway).
        if (now - skew >= Expiry)
        {
            return "jwtsvid: token has expired";
        }

        // RFC 7519 §4.1.5: now must not be before nbf (minus the allowed leeway).
        if (NotBefore is { } notBefore && now + skew < notBefore)
        {
            return "jwtsvid: token is not valid yet";
        }

        // JWT-SVID §3.2: reject when none of the validator's values is an aud element.
        foreach (var expected in expectedAudience)
        {
            if (Array.IndexOf(Audience, expected) >= 0)
            {
                return null;
            }
        }

        return $"jwtsvid: expected audience in {Format(expectedAudience)} (audience={Format(Audience)})";
    }

    private static bool TryReadNumericDate(JsonElement element, out DateTimeOffset value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (element.TryGetInt64(out long seconds))
        {
            value = seconds <= s_minSeconds ? DateTimeOffset.MinValue
                : seconds >= s_maxSeconds ? DateTimeOffset.MaxValue
                : DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        // RFC 7519 §2: a NumericDate may have a fractional part.
        if (!element.TryGetDouble(out double fractional) || !double.IsFinite(fractional))
        {
            return false;
        }

        value = fractional <= s_minSeconds ? DateTimeOffset.MinValue
            : fractional >= s_maxSeconds ? DateTimeOffset.MaxValue
            : DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(fractional * 1000));
        return true;
    }

    private static string Format(IReadOnlyList<string> values)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < values.Count; i++)
        {
            text.Append(i == 0 ? "\"" : ", \"").Append(values[i]).Append('"');
        }

        return text.Append(']').ToString();
    }
}
