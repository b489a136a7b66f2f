using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFabric.Rego;

namespace AgentFabric.Authorization.Bundles;

/// <summary>Verifies a bundle's <c>.signatures.json</c> (OPA docs, "Signing"): one JWT whose payload lists every file
/// with its digest; the JWT must verify with the configured key, carry the configured scope, and list exactly the
/// bundle's files (less <c>.signatures.json</c> and the excluded ones) with matching digests.</summary>
internal static class BundleSignatureVerifier
{
    public const string SignaturesFile = "/.signatures.json";

    /// <summary>Applies OPA's table: unsigned and unconfigured passes; signed and unconfigured, or configured and
    /// unsigned, fails; otherwise the signature decides.</summary>
    public static void Verify(string bundle, BundleFiles files, BundleVerificationOptions? options)
    {
        var signed = files.Files.TryGetValue(SignaturesFile, out var signatures);
        if (!signed && options is null)
        {
            return;
        }

        if (signed && options is null)
        {
            throw Fail(bundle, BundleErrorReason.SignatureUnexpected, "the bundle is signed but no verification key is configured");
        }

        if (!signed)
        {
            throw Fail(bundle, BundleErrorReason.SignatureMissing, "verification is configured but the bundle has no .signatures.json");
        }

        var jwt = ReadSingleJwt(bundle, signatures!);
        var payload = VerifyJwt(bundle, jwt, options!);
        VerifyFiles(bundle, files, payload, options!);
    }

    // .signatures.json = {"signatures": ["<JWT>"]}; OPA supports exactly one.
    private static string ReadSingleJwt(string bundle, byte[] json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("signatures", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                return list.GetArrayLength() == 1 && list[0].ValueKind == JsonValueKind.String
                    ? list[0].GetString()!
                    : throw Invalid(bundle, $".signatures.json: expected exactly one signature, found {list.GetArrayLength()}");
            }
        }
        catch (JsonException e)
        {
            throw Invalid(bundle, $".signatures.json: not JSON: {e.Message}");
        }

        throw Invalid(bundle, ".signatures.json: must be an object with a \"signatures\" array");
    }

    private static JsonElement VerifyJwt(string bundle, string jwt, BundleVerificationOptions options)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            throw Invalid(bundle, "signature: not a compact JWS (three dot-separated parts)");
        }

        var header = DecodeJson(bundle, "header", parts[0]);
        var payload = DecodeJson(bundle, "payload", parts[1]);
        var alg = header.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
        var kid = options.KeyId
            ?? (header.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null)
            ?? (payload.TryGetProperty("keyid", out var pk) && pk.ValueKind == JsonValueKind.String ? pk.GetString() : null)
            ?? throw Invalid(bundle, "signature: no key id configured and none in the JWT");
        if (!options.Keys.TryGetValue(kid, out var key))
        {
            throw Invalid(bundle, $"signature: key '{kid}' is not configured");
        }

        if (!JwsSignature.IsSupported(key.Algorithm))
        {
            throw Invalid(bundle, $"signature: key '{kid}' has unsupported algorithm '{key.Algorithm}'");
        }

        if (!string.Equals(alg, key.Algorithm, StringComparison.Ordinal))
        {
            throw Invalid(bundle, $"signature: JWT algorithm '{alg}' does not match key '{kid}' algorithm '{key.Algorithm}'");
        }

        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            throw Invalid(bundle, "signature: the signature part is not base64url");
        }

        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!JwsSignature.Verify(key, signingInput, signature))
        {
            throw Invalid(bundle, $"signature: does not verify with key '{kid}'");
        }

        // OPA: "scope: If supplied in the payload, must match exactly the value provided out-of-band".
        var expectedScope = options.Scope ?? key.Scope ?? "";
        var scope = payload.TryGetProperty("scope", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
        if (!string.Equals(scope, expectedScope, StringComparison.Ordinal))
        {
            throw Invalid(bundle, $"signature: scope '{scope}' does not match the configured scope '{expectedScope}'");
        }

        return payload;
    }

    private static void VerifyFiles(string bundle, BundleFiles files, JsonElement payload, BundleVerificationOptions options)
    {
        if (!payload.TryGetProperty("files", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(bundle, "signature: the payload has no files list");
        }

        var signedFiles = new Dictionary<string, (string Hash, string Algorithm)>(StringComparer.Ordinal);
        foreach (var f in list.EnumerateArray())
        {
            var name = Text(f, "name") ?? throw Invalid(bundle, "signature: a files entry has no name");
            var path = "/" + name.TrimStart('/');
            signedFiles[path] = (Text(f, "hash") ?? throw Invalid(bundle, $"signature: {path} has no hash"), Text(f, "algorithm") ?? "SHA-256");
        }

        foreach (var (path, content) in files.Files)
        {
            if (path == SignaturesFile || options.ExcludeFiles.Any(p => BundleGlob.IsMatch(p, path)))
            {
                continue;
            }

            if (!signedFiles.Remove(path, out var signedFile))
            {
                throw Invalid(bundle, $"signature: {path} is in the bundle but not in the signature");
            }

            var digest = Convert.ToHexStringLower(Digest(bundle, path, signedFile.Algorithm, content));
            if (!string.Equals(digest, signedFile.Hash.ToLowerInvariant(), StringComparison.Ordinal))
            {
                throw Invalid(bundle, $"signature: {path}: digest mismatch (signed {signedFile.Hash}, actual {digest})");
            }
        }

        if (signedFiles.Count > 0)
        {
            throw Invalid(bundle, $"signature: {string.Join(", ", signedFiles.Keys.Order(StringComparer.Ordinal))} signed but not in the bundle");
        }
    }

    /// <summary>The digest OPA signs: structured files (<c>.manifest</c>, JSON, YAML) canonicalised, others raw.</summary>
    internal static byte[] Digest(string bundle, string path, string algorithm, byte[] content)
    {
        var bytes = content;
        var ext = Path.GetExtension(path);
        try
        {
            if (path == "/.manifest" || ext == ".json")
            {
                bytes = CanonicalJson.FromJson(content);
            }
            else if (ext is ".yaml" or ".yml")
            {
                bytes = CanonicalJson.FromJson(Encoding.UTF8.GetBytes(RegoYaml.Parse(Encoding.UTF8.GetString(content)).ToJson()));
            }
        }
        catch (Exception e) when (e is JsonException or RegoYamlException)
        {
            throw Invalid(bundle, $"signature: {path}: cannot be canonicalised for hashing: {e.Message}");
        }

        return algorithm switch
        {
            "SHA-256" => SHA256.HashData(bytes),
            "SHA-384" => SHA384.HashData(bytes),
            "SHA-512" => SHA512.HashData(bytes),
            _ => throw Invalid(bundle, $"signature: {path}: unsupported hash algorithm '{algorithm}'"),
        };
    }

    private static string? Text(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static JsonElement DecodeJson(string bundle, string part, string segment)
    {
        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(segment));
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? doc.RootElement.Clone()
                : throw Invalid(bundle, $"signature: the JWT {part} is not a JSON object");
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Invalid(bundle, $"signature: the JWT {part} is not base64url JSON");
        }
    }

    private static BundleException Invalid(string bundle, string detail) => Fail(bundle, BundleErrorReason.SignatureInvalid, detail);

    private static BundleException Fail(string bundle, BundleErrorReason reason, string detail) => new(bundle, reason, detail);
}
