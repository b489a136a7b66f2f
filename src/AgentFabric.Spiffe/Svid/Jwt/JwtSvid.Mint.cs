using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace AgentFabric.Spiffe.Svid.Jwt;

/// <summary>Minting JWT-SVIDs (for servers that issue them).</summary>
public sealed partial class JwtSvid
{
    // The claims a JWT-SVID mint writes itself; extra claims may not override them.
    private static readonly string[] s_reservedClaims = ["sub", "aud", "exp", "iat"];

    /// <summary>
    /// Signs a JWT-SVID: header <c>{"alg","kid","typ":"JWT"}</c>, claims <c>sub</c>, <c>aud</c> (an array),
    /// <c>exp</c>, <c>iat</c> (now, from <paramref name="timeProvider"/>), then <paramref name="extraClaims"/>.
    /// With <paramref name="singleAudienceAsString"/>, a one-value audience is written as a plain string
    /// (RFC 7519 §4.1.3), as SPIRE and go-jose write it; both forms are valid JWT-SVIDs (JWT-SVID §3.2).
    /// </summary>
    /// <exception cref="ArgumentException">The subject is the zero value, the audience is empty or has an empty
    /// value, the expiry is not after now, or an extra claim would override one of sub/aud/exp/iat.</exception>
    public static JwtSvid Mint(
        SpiffeId subject,
        IReadOnlyCollection<string> audience,
        DateTimeOffset expiresAt,
        JwtSigningKey signingKey,
        TimeProvider timeProvider,
        IReadOnlyDictionary<string, JsonElement>? extraClaims = null,
        bool singleAudienceAsString = false)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (subject.IsZero)
        {
            throw new ArgumentException("jwtsvid: the subject is the zero SPIFFE ID", nameof(subject));
        }

        // JWT-SVID §3.2: one or more audience values.
        if (audience.Count == 0 || audience.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("jwtsvid: the audience needs at least one value and no empty value", nameof(audience));
        }

        long issuedAt = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        long expiry = expiresAt.ToUnixTimeSeconds();

        // JWT-SVID §3.3: a token must expire, and after it was issued.
        if (expiry <= issuedAt)
        {
            throw new ArgumentException("jwtsvid: the expiry is not after the issue time", nameof(expiresAt));
        }

        if (extraClaims is not null)
        {
            foreach (var name in s_reservedClaims)
            {
                if (extraClaims.ContainsKey(name))
                {
                    throw new ArgumentException($"jwtsvid: extra claim \"{name}\" would override a JWT-SVID claim", nameof(extraClaims));
                }
            }
        }

        var payloadBuffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(payloadBuffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sub"u8, subject.ToString());
            if (singleAudienceAsString && audience.Count == 1)
            {
                writer.WriteString("aud"u8, audience.First());
            }
            else
            {
                writer.WriteStartArray("aud"u8);
                foreach (var value in audience)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }
            writer.WriteNumber("exp"u8, expiry);
            writer.WriteNumber("iat"u8, issuedAt);
            if (extraClaims is not null)
            {
                foreach (var (name, value) in extraClaims)
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        var payload = payloadBuffer.WrittenSpan;
        var header = signingKey.EncodedHeader;
        int inputLength = header.Length + 1 + Base64Url.GetEncodedLength(payload.Length);
        int signatureMax = Base64Url.GetEncodedLength(Math.Max(signingKey.PrivateKey.KeySize / 8 + 8, 132) * 2);
        var token = new byte[inputLength + 1 + signatureMax];
        header.CopyTo(token, 0);
        token[header.Length] = (byte)'.';
        Base64Url.EncodeToUtf8(payload, token.AsSpan(header.Length + 1), out _, out _);

        // RFC 7515 §5.1: the signature covers ASCII(BASE64URL(header) '.' BASE64URL(payload)).
        var signature = signingKey.Jws.Sign(signingKey.PrivateKey, token.AsSpan(0, inputLength));
        token[inputLength] = (byte)'.';
        Base64Url.EncodeToUtf8(signature, token.AsSpan(inputLength + 1), out _, out int signatureLength);
        string text = Encoding.ASCII.GetString(token, 0, inputLength + 1 + signatureLength);

        var reader = new Utf8JsonReader(payload);
        var claims = JsonElement.ParseValue(ref reader);
        return new JwtSvid(
            text,
            subject,
            [.. audience],
            DateTimeOffset.FromUnixTimeSeconds(expiry),
            DateTimeOffset.FromUnixTimeSeconds(issuedAt),
            claims.TryGetProperty("nbf", out var nbf) && nbf.TryGetInt64(out long notBefore) ? DateTimeOffset.FromUnixTimeSeconds(notBefore) : null,
            claims,
            signingKey.Algorithm,
            signingKey.KeyId,
            hint: null);
    }
}
