using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Keys;

/// <summary>
/// The edge's keys in its data directory, created on first run and readable by the owner only (mode 0600):
/// <c>signing-key.pem</c> (ECDSA P-256, ES256, published in the JWKS) and <c>encryption-key.bin</c> (AES-256, for the
/// authorization codes and refresh tokens OpenIddict encrypts; access tokens stay signed JWTs).
/// </summary>
public static class EdgeKeyFiles
{
    public const string SigningKeyFile = "signing-key.pem";
    public const string EncryptionKeyFile = "encryption-key.bin";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Loads or creates the signing key. Throws <see cref="EdgeConfigException"/> for an unreadable file.</summary>
    public static ECDsaSecurityKey LoadOrCreateSigningKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, SigningKeyFile);
        var ecdsa = ECDsa.Create();
        if (File.Exists(path))
        {
            try
            {
                ecdsa.ImportFromPem(File.ReadAllText(path));
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
        }
        else
        {
            ecdsa.GenerateKey(ECCurve.NamedCurves.nistP256);
            WriteOwnerOnly(path, System.Text.Encoding.ASCII.GetBytes(ecdsa.ExportPkcs8PrivateKeyPem()));
        }

        return new ECDsaSecurityKey(ecdsa) { KeyId = KeyIdOf(ecdsa) };
    }

    /// <summary>Loads or creates the 256-bit symmetric encryption key.</summary>
    public static SymmetricSecurityKey LoadOrCreateEncryptionKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, EncryptionKeyFile);
        byte[] key;
        if (File.Exists(path))
        {
            key = File.ReadAllBytes(path);
            if (key.Length != 32)
            {
                throw new EdgeConfigException($"edge: {path} must hold 32 bytes, not {key.Length}");
            }
        }
        else
        {
            key = RandomNumberGenerator.GetBytes(32);
            WriteOwnerOnly(path, key);
        }

        return new SymmetricSecurityKey(key);
    }

    /// <summary>The key id: the RFC 7638 style SHA-256 thumbprint of the public key's SPKI, base64url.</summary>
    internal static string KeyIdOf(ECDsa key) =>
        Base64UrlEncoder.Encode(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    private static void WriteOwnerOnly(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
    }
}
