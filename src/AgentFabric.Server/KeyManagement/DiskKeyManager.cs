using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace AgentFabric.Server.KeyManagement;

/// <summary>
/// Keys as PKCS#8 PEM files (mode 0600, directory 0700) that survive a restart (SPIRE's "disk" KeyManager). A key is
/// written to a temporary file and renamed, so a crash never leaves a half-written key.
/// </summary>
public sealed class DiskKeyManager : IKeyManager, IDisposable
{
    private const UnixFileMode KeyFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, ECDsa> _cache = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public DiskKeyManager(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Path.GetFullPath(directory);
        try
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(_directory);
            }
            else
            {
                System.IO.Directory.CreateDirectory(_directory, DirectoryMode);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyManagerException($"keymanager: cannot create keys directory \"{_directory}\": {e.Message}", e);
        }
    }

    public string Directory => _directory;

    /// <summary>The file name ending of every key file.</summary>
    public const string KeyFileSuffix = ".key.pem";

    public string PathOf(string keyId) => KeyFilePath(_directory, keyId);

    /// <summary>Where a disk key manager on <paramref name="directory"/> keeps the key <paramref name="keyId"/>
    /// (without creating anything).</summary>
    public static string KeyFilePath(string directory, string keyId) => Path.Combine(Path.GetFullPath(directory), keyId + KeyFileSuffix);

    public ECDsa GenerateKey(string keyId)
    {
        KeyIds.Validate(keyId);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = PathOf(keyId);
        var temp = path + ".tmp";
        lock (_lock)
        {
            try
            {
                var options = new FileStreamOptions { Mode = System.IO.FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = KeyFileMode;
                }

                using (var stream = new FileStream(temp, options))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(key.ExportPkcs8PrivateKeyPem());
                    writer.Flush();
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                key.Dispose();
                throw new KeyManagerException($"keymanager: cannot write key \"{keyId}\": {e.Message}", e);
            }

            if (_cache.TryGetValue(keyId, out var old))
            {
                old.Dispose();
            }

            _cache[keyId] = key;
        }

        return key;
    }

    public ECDsa? GetKey(string keyId)
    {
        KeyIds.Validate(keyId);
        if (_cache.TryGetValue(keyId, out var cached))
        {
            return cached;
        }

        lock (_lock)
        {
            if (_cache.TryGetValue(keyId, out cached))
            {
                return cached;
            }

            var path = PathOf(keyId);
            if (!File.Exists(path))
            {
                return null;
            }

            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(path));
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException or IOException)
            {
                key.Dispose();
                throw new KeyManagerException($"keymanager: key file \"{path}\" is unreadable: {e.Message}", e);
            }

            _cache[keyId] = key;
            return key;
        }
    }

    public bool DeleteKey(string keyId)
    {
        KeyIds.Validate(keyId);
        lock (_lock)
        {
            if (_cache.TryRemove(keyId, out var key))
            {
                key.Dispose();
            }

            var path = PathOf(keyId);
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
    }

    public void Dispose()
    {
        foreach (var key in _cache.Values)
        {
            key.Dispose();
        }

        _cache.Clear();
    }
}
