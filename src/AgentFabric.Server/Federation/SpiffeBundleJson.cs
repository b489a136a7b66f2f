using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFabric.Server.Federation;

/// <summary>
/// The SPIFFE bundle JWKS: one JWK per X.509 authority (<c>"use": "x509-svid"</c>, the certificate in <c>x5c</c>,
/// §4.2.1) and per JWT authority (<c>"use": "jwt-svid"</c> with <c>kid</c>, §4.2.2), plus
/// <c>spiffe_sequence</c> and <c>spiffe_refresh_hint</c> (§4.1).
/// </summary>
internal sealed class SpiffeBundleJson : ISpiffeBundleCodec
{
    public static readonly SpiffeBundleJson Instance = new();

    public string Marshal(SpiffeBundleDocument bundle)
    {
        var keys = new JsonArray();
        foreach (var cert in bundle.X509Authorities)
        {
            var jwk = PublicJwk(cert);
            jwk["use"] = "x509-svid";
            jwk["x5c"] = new JsonArray(Convert.ToBase64String(cert.RawData));
            keys.Add(jwk);
        }

        foreach (var node in JsonNode.Parse(string.IsNullOrEmpty(bundle.JwtKeysJson) ? "[]" : bundle.JwtKeysJson)!.AsArray())
        {
            keys.Add(node!.DeepClone());
        }

        var doc = new JsonObject { ["keys"] = keys };
        if (bundle.RefreshHintSeconds > 0)
        {
            doc["spiffe_refresh_hint"] = bundle.RefreshHintSeconds;
        }

        doc["spiffe_sequence"] = bundle.SequenceNumber;
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public SpiffeBundleDocument Parse(string json)
    {
        JsonObject doc;
        try
        {
            doc = JsonNode.Parse(json) as JsonObject ?? throw new FederationException("federation: SPIFFE bundle must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new FederationException($"federation: SPIFFE bundle is not valid JSON: {e.Message}", e);
        }

        if (doc["keys"] is not JsonArray keys)
        {
            // §4.1: the keys member is required.
            throw new FederationException("federation: SPIFFE bundle has no \"keys\" array");
        }

        var x509 = new List<X509Certificate2>();
        var jwt = new JsonArray();
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] is not JsonObject key)
            {
                throw new FederationException($"federation: SPIFFE bundle key {i} is not an object");
            }

            switch ((string?)key["use"])
            {
                case "x509-svid":
                    // §4.2.1: exactly one certificate in x5c.
                    if (key["x5c"] is not JsonArray { Count: 1 } x5c)
                    {
                        throw new FederationException($"federation: SPIFFE bundle key {i} (x509-svid) must hold exactly one x5c certificate");
                    }

                    try
                    {
                        x509.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String((string)x5c[0]!)));
                    }
                    catch (Exception e) when (e is FormatException or CryptographicException or InvalidOperationException)
                    {
                        throw new FederationException($"federation: SPIFFE bundle key {i} has an unreadable x5c certificate: {e.Message}", e);
                    }

                    break;
                case "jwt-svid":
                    // §4.2.2: JWT authorities carry a key ID.
                    if (string.IsNullOrEmpty((string?)key["kid"]))
                    {
                        throw new FederationException($"federation: SPIFFE bundle key {i} (jwt-svid) has no kid");
                    }

                    jwt.Add(key.DeepClone());
                    break;
                default:
                    // §4.2: keys with an unknown use are ignored.
                    break;
            }
        }

        return new SpiffeBundleDocument(x509, jwt.ToJsonString(), Integer(doc, "spiffe_refresh_hint"), Integer(doc, "spiffe_sequence"));
    }

    // §4.1: spiffe_refresh_hint and spiffe_sequence are integers when present.
    private static long Integer(JsonObject doc, string name) => doc[name] switch
    {
        null => 0,
        JsonValue v when v.TryGetValue<long>(out var n) && n >= 0 => n,
        _ => throw new FederationException($"federation: SPIFFE bundle member \"{name}\" must be a non-negative integer"),
    };

    private static JsonObject PublicJwk(X509Certificate2 cert)
    {
        using var ec = cert.GetECDsaPublicKey();
        if (ec is not null)
        {
            var p = ec.ExportParameters(false);
            return new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = p.Curve.Oid.FriendlyName switch { "nistP384" or "ECDSA_P384" => "P-384", "nistP521" or "ECDSA_P521" => "P-521", _ => "P-256" },
                ["x"] = Base64Url(p.Q.X!),
                ["y"] = Base64Url(p.Q.Y!),
            };
        }

        using var rsa = cert.GetRSAPublicKey() ?? throw new FederationException("federation: authority key is neither EC nor RSA");
        var r = rsa.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["n"] = Base64Url(r.Modulus!), ["e"] = Base64Url(r.Exponent!) };
    }

    internal static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
