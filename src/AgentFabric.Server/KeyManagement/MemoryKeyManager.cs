using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace AgentFabric.Server.KeyManagement;

/// <summary>Keys held in process memory only: a restart starts a new CA (SPIRE's "memory" KeyManager).</summary>
public sealed class MemoryKeyManager : IKeyManager, IDisposable
{
    private readonly ConcurrentDictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);

    public ECDsa GenerateKey(string keyId)
    {
        KeyIds.Validate(keyId);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (_keys.TryGetValue(keyId, out var old))
        {
            old.Dispose();
        }

        _keys[keyId] = key;
        return key;
    }

    public ECDsa? GetKey(string keyId) => _keys.TryGetValue(keyId, out var key) ? key : null;

    public bool DeleteKey(string keyId)
    {
        if (!_keys.TryRemove(keyId, out var key))
        {
            return false;
        }

        key.Dispose();
        return true;
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
    }
}
