using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.Jwt;

namespace AgentFabric.Server.Federation;

/// <summary>
/// The datastore, the Admin API and the Agent API keep a bundle's JWT authorities as the JSON array of the JWKs a
/// SPIFFE bundle's <c>keys</c> holds for them (<c>use: jwt-svid</c>, <c>kid</c>, public key; Trust Domain and
/// Bundle §4.2.2). Both directions go through the SDK's <see cref="SpiffeBundle"/> codec, so the server has no JWK
/// code of its own.
/// </summary>
public static class StoredBundleFormat
{
    /// <summary>The JWT authorities as a JSON array of <c>jwt-svid</c> JWKs.</summary>
    public static string JwtAuthoritiesJson(TrustDomain trustDomain, IEnumerable<JwtAuthority> authorities)
    {
        using var document = JsonDocument.Parse(new SpiffeBundle(trustDomain, [], authorities).Marshal());
        return document.RootElement.GetProperty("keys").GetRawText();
    }

    /// <summary>Reads a stored JWK array back; false (with the reason) when it is not one.</summary>
    public static bool TryParseJwtAuthorities(TrustDomain trustDomain, string json, out IReadOnlyList<JwtAuthority> authorities, out string? error)
    {
        authorities = [];
        if (string.IsNullOrWhiteSpace(json))
        {
            error = null;
            return true;
        }

        var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
        try
        {
            using var keys = JsonDocument.Parse(json);
            if (keys.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = "not a JSON array";
                return false;
            }

            using var writer = new Utf8JsonWriter(buffer);
            writer.WriteStartObject();
            writer.WritePropertyName("keys");
            keys.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }
        catch (JsonException e)
        {
            error = e.Message;
            return false;
        }

        if (!SpiffeBundle.TryParse(trustDomain, buffer.WrittenSpan, out var bundle, out error))
        {
            return false;
        }

        authorities = bundle.JwtAuthorities;
        return true;
    }

    /// <summary>A stored bundle (or its Admin API form) as a SPIFFE bundle: refresh hint omitted when 0 (§4.1.2),
    /// sequence number always set (§4.1.1).</summary>
    /// <exception cref="FederationException">The stored JWT authorities are not a JWK array.</exception>
    public static SpiffeBundle ToSpiffeBundle(
        TrustDomain trustDomain, IEnumerable<X509Certificate2> x509Authorities, string jwtAuthoritiesJson, long refreshHintSeconds, long sequenceNumber)
    {
        if (!TryParseJwtAuthorities(trustDomain, jwtAuthoritiesJson, out var jwt, out var error))
        {
            throw new FederationException($"federation: the stored JWT authorities of \"{trustDomain}\" are unreadable: {error}");
        }

        return new SpiffeBundle(
            trustDomain,
            x509Authorities,
            jwt,
            sequenceNumber >= 0 ? (ulong)sequenceNumber : null,
            refreshHintSeconds > 0 ? TimeSpan.FromSeconds(refreshHintSeconds) : null);
    }

    /// <summary>The refresh hint in whole seconds, 0 when the bundle has none.</summary>
    public static long RefreshHintSeconds(SpiffeBundle bundle) =>
        bundle.RefreshHint is { } hint ? (long)hint.TotalSeconds : 0;
}
