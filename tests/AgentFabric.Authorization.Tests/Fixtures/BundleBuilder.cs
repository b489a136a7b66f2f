using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFabric.Authorization.Bundles;

namespace AgentFabric.Authorization.Tests.Fixtures;

/// <summary>Builds bundles for tests: raw file sets, gzipped tarballs (with any entry names), and OPA signatures.</summary>
internal static class BundleBuilder
{
    public static BundleFiles Files(params (string Path, string Text)[] files)
    {
        var result = new BundleFiles();
        foreach (var (path, text) in files)
        {
            result.Add(path, Encoding.UTF8.GetBytes(text));
        }

        return result;
    }

    public static byte[] TarGz(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, text) in entries)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] TarGzWithLink(string name, string target)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        }

        return buffer.ToArray();
    }

    public static byte[] TarGz(BundleFiles files) => TarGz([.. files.Files.Select(f => (f.Key.TrimStart('/'), Encoding.UTF8.GetString(f.Value)))]);

    /// <summary>The <c>.signatures.json</c> OPA's <c>opa sign</c> would write: one JWT over every file's digest.</summary>
    public static string Signatures(BundleFiles files, string alg, AsymmetricAlgorithm key, string? kid = "k1", string? scope = null, IEnumerable<string>? skip = null)
    {
        var skipped = new HashSet<string>(skip ?? [], StringComparer.Ordinal);
        var listed = files.Files.Where(f => f.Key != "/.signatures.json" && !skipped.Contains(f.Key)).Select(f => new Dictionary<string, string>
        {
            ["name"] = f.Key.TrimStart('/'),
            ["hash"] = Convert.ToHexStringLower(BundleSignatureVerifier.Digest("test", f.Key, "SHA-256", f.Value)),
            ["algorithm"] = "SHA-256",
        }).ToList();
        var payload = new Dictionary<string, object> { ["files"] = listed, ["iat"] = 1592248027, ["iss"] = "JWTService" };
        if (scope is not null)
        {
            payload["scope"] = scope;
        }

        var header = kid is null ? new Dictionary<string, string> { ["alg"] = alg, ["typ"] = "JWT" } : new Dictionary<string, string> { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid };
        var signingInput = B64(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = key switch
        {
            RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
            ECDsa ec => ec.SignData(data, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
        return JsonSerializer.Serialize(new { signatures = new[] { signingInput + "." + B64(signature) } });
    }

    public static BundleFiles Signed(BundleFiles files, string signatures)
    {
        var result = new BundleFiles();
        foreach (var (path, content) in files.Files)
        {
            result.Add(path, content);
        }

        result.Add("/.signatures.json", Encoding.UTF8.GetBytes(signatures));
        return result;
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
