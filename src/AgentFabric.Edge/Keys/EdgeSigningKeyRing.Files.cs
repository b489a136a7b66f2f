using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentFabric.Edge.Keys;

/// <summary>The ring's files: <c>signing-keys/&lt;kid&gt;.json</c> holding the PKCS#8 PEM private key and the key's
/// publication and signing times, written whole (a temporary file renamed) with mode 0600.</summary>
public sealed partial class EdgeSigningKeyRing
{
    private ImmutableArray<EdgeSigningKey> ReadAll()
    {
        var keys = new List<EdgeSigningKey>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*.json"))
        {
            KeyFile? file;
            try
            {
                file = JsonSerializer.Deserialize(File.ReadAllBytes(path), KeyFileContext.Default.KeyFile);
            }
            catch (FileNotFoundException)
            {
                continue; // pruned by another process while we listed the directory
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                throw new EdgeConfigException($"edge: cannot read the signing key {path}: {e.Message}", e);
            }

            if (file?.PrivateKey is null)
            {
                throw new EdgeConfigException($"edge: the signing key {path} has no private_key");
            }

            var ecdsa = ECDsa.Create();
            try
            {
                ecdsa.ImportFromPem(file.PrivateKey);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                ecdsa.Dispose();
                throw new EdgeConfigException($"edge: {path} does not hold an ECDSA private key: {e.Message}", e);
            }

            if (ecdsa.KeySize != 256)
            {
                ecdsa.Dispose();
                throw new EdgeConfigException($"edge: {path} holds a P-{ecdsa.KeySize} key; the edge signs with P-256 (ES256)");
            }

            keys.Add(new EdgeSigningKey(ecdsa, file.Published, file.SignsFrom));
        }

        return [.. keys.OrderBy(k => k.SignsFrom).ThenBy(k => k.KeyId, StringComparer.Ordinal)];
    }

    private EdgeSigningKey Write(ECDsa ecdsa, DateTimeOffset published, DateTimeOffset signsFrom)
    {
        var key = new EdgeSigningKey(ecdsa, published, signsFrom);
        var path = Path.Combine(_directory, key.KeyId + ".json");
        var temporary = path + ".tmp";
        var content = JsonSerializer.SerializeToUtf8Bytes(new KeyFile(key.KeyId, published, signsFrom, ecdsa.ExportPkcs8PrivateKeyPem()), KeyFileContext.Default.KeyFile);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeConfigException($"edge: cannot write the signing key {path}: {e.Message}", e);
        }

        return key;
    }

    /// <summary>Deletes the files of keys past their overlap; no token they signed can still be valid.</summary>
    private void Prune(DateTimeOffset now)
    {
        var keep = new List<EdgeSigningKey>();
        for (var i = 0; i < _keys.Length; i++)
        {
            if (i + 1 < _keys.Length && _keys[i + 1].SignsFrom + _keptFor <= now)
            {
                File.Delete(Path.Combine(_directory, _keys[i].KeyId + ".json"));
            }
            else
            {
                keep.Add(_keys[i]);
            }
        }

        _keys = [.. keep];
    }

    internal sealed record KeyFile(
        [property: JsonPropertyName("kid")] string KeyId,
        [property: JsonPropertyName("published")] DateTimeOffset Published,
        [property: JsonPropertyName("signs_from")] DateTimeOffset SignsFrom,
        [property: JsonPropertyName("private_key")] string PrivateKey);

    [JsonSerializable(typeof(KeyFile))]
    [JsonSourceGenerationOptions(WriteIndented = true)]
    internal sealed partial class KeyFileContext : JsonSerializerContext;
}
