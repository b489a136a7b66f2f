using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Agent.Node;

/// <summary>
/// The node's own identity on disk (the agent's data dir): its SVID chain and key, and the trust bundle it last
/// received, so a restarted agent resumes with its SVID instead of needing a new join token (as SPIRE's agent does).
/// Files are written to a temp name then renamed, so a crash never leaves a half-written SVID; the key is 0600.
/// </summary>
public sealed class NodeIdentityStore
{
    private const string SvidFile = "agent_svid.pem";
    private const string KeyFile = "agent_svid.key";
    private const string BundleFile = "bundle.pem";

    public NodeIdentityStore(string dataDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        DataDir = dataDir;
    }

    public string DataDir { get; }

    /// <summary>The persisted SVID, or null when none was saved. A corrupt file is an error, never silently ignored.</summary>
    /// <exception cref="InvalidDataException">The files exist but do not hold a valid SVID.</exception>
    public X509Svid? LoadSvid()
    {
        string certs = Path.Combine(DataDir, SvidFile);
        string key = Path.Combine(DataDir, KeyFile);
        if (!File.Exists(certs) || !File.Exists(key))
        {
            return null;
        }

        try
        {
            return X509Svid.Load(certs, key);
        }
        catch (X509SvidException e)
        {
            throw new InvalidDataException($"agent: the node SVID in \"{DataDir}\" is unreadable ({e.Message}); remove {SvidFile} and {KeyFile} and attest with a new join token", e);
        }
    }

    /// <summary>The persisted trust bundle of <paramref name="trustDomain"/>, or null.</summary>
    public X509Bundle? LoadBundle(TrustDomain trustDomain)
    {
        string path = Path.Combine(DataDir, BundleFile);
        return File.Exists(path) ? X509Bundle.Load(trustDomain, path) : null;
    }

    public void Save(X509Svid svid, X509Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(svid);
        ArgumentNullException.ThrowIfNull(bundle);
        Directory.CreateDirectory(DataDir);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var pem = new StringBuilder();
        foreach (var c in svid.Certificates)
        {
            pem.AppendLine(c.ExportCertificatePem());
        }

        string keyPem = svid.PrivateKey switch
        {
            ECDsa ec => ec.ExportPkcs8PrivateKeyPem(),
            RSA rsa => rsa.ExportPkcs8PrivateKeyPem(),
            _ => throw new NotSupportedException("agent: node SVID key must be ECDSA or RSA"),
        };
        WriteAtomic(KeyFile, keyPem, secret: true);
        WriteAtomic(SvidFile, pem.ToString(), secret: false);
        WriteAtomic(BundleFile, Encoding.ASCII.GetString(bundle.Marshal()), secret: false);
    }

    private void WriteAtomic(string name, string content, bool secret)
    {
        string path = Path.Combine(DataDir, name);
        string temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream, Encoding.ASCII))
        {
            writer.Write(content);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
