using System.Security.Cryptography;

namespace AgentFabric.Server.KeyManagement;

/// <summary>
/// Holds the server's CA and JWT signing keys by id. Implementations return an <see cref="ECDsa"/> that signs with
/// the stored key: memory and disk hold the key material; a PKCS#11 implementation returns an <see cref="ECDsa"/>
/// subclass whose <c>SignHash</c> calls the token, so the CA never sees key bytes.
/// </summary>
public interface IKeyManager
{
    /// <summary>Creates (or replaces) the P-256 key <paramref name="keyId"/>.</summary>
    ECDsa GenerateKey(string keyId);

    /// <summary>The key <paramref name="keyId"/>, or null when this manager does not hold it.</summary>
    ECDsa? GetKey(string keyId);

    /// <summary>Forgets the key; returns false when it was not there.</summary>
    bool DeleteKey(string keyId);
}
