using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentFabric.Spiffe.Bundles.Jwt;

namespace AgentFabric.Spiffe.Jose;

/// <summary>Writes JWT bundles (plain JWK Sets) and SPIFFE bundles (Bundle §4).</summary>
internal static class JwksWriter
{
    /// <summary>A plain JWK Set: <c>kty</c>, <c>kid</c> and the public key of each authority. No <c>use</c>, so JOSE
    /// libraries that only take <c>use: sig</c> or no <c>use</c> accept it (the Workload API's JWT bundle form).</summary>
    public static byte[] WriteJwtBundle(IReadOnlyList<JwtAuthority> authorities)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var authority in authorities)
            {
                WriteJwtKey(writer, authority, use: null);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A SPIFFE bundle: sequence and refresh hint when set, X.509 authorities (<c>use: x509-svid</c>, the
    /// certificate's public key and a one-element <c>x5c</c>, X509-SVID §6.1) then JWT authorities (<c>use:
    /// jwt-svid</c> with <c>kid</c>, JWT-SVID §6.1).</summary>
    /// <exception cref="ArgumentException">An X.509 authority's key is neither RSA nor a NIST-curve EC key, or cannot be decoded.</exception>
    public static byte[] WriteSpiffeBundle(
        IReadOnlyList<X509Certificate2> x509Authorities,
        IReadOnlyList<JwtAuthority> jwtAuthorities,
        ulong? sequenceNumber,
        TimeSpan? refreshHint,
        bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            WriteSpiffeBundle(writer, x509Authorities, jwtAuthorities, sequenceNumber, refreshHint);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteSpiffeBundle(
        Utf8JsonWriter writer,
        IReadOnlyList<X509Certificate2> x509Authorities,
        IReadOnlyList<JwtAuthority> jwtAuthorities,
        ulong? sequenceNumber,
        TimeSpan? refreshHint)
    {
        writer.WriteStartObject();
        if (sequenceNumber is { } sequence)
        {
            writer.WriteNumber("spiffe_sequence", sequence);
        }

        if (refreshHint is { } hint)
        {
            writer.WriteNumber("spiffe_refresh_hint", (long)hint.TotalSeconds);
        }

        writer.WriteStartArray("keys");
        foreach (var certificate in x509Authorities)
        {
            writer.WriteStartObject();
            writer.WriteString("use", JwksReader.UseX509Svid);
            using (var key = JsonWebKeyCodec.TryGetCertificateKey(certificate, out var reason))
            {
                if (key is null)
                {
                    throw new ArgumentException(
                        $"the X.509 authority \"{certificate.Subject}\" cannot be written: its {reason}",
                        nameof(x509Authorities));
                }

                JsonWebKeyCodec.WritePublicKey(writer, key);
            }

            writer.WriteStartArray("x5c");
            writer.WriteBase64StringValue(certificate.RawDataMemory.Span);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        foreach (var authority in jwtAuthorities)
        {
            WriteJwtKey(writer, authority, JwksReader.UseJwtSvid);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteJwtKey(Utf8JsonWriter writer, JwtAuthority authority, string? use)
    {
        writer.WriteStartObject();
        if (use is not null)
        {
            writer.WriteString("use", use);
        }

        writer.WriteString("kid", authority.KeyId);
        JsonWebKeyCodec.WritePublicKey(writer, authority.PublicKey);
        writer.WriteEndObject();
    }
}
