using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace AgentFabric.Server.Ca;

/// <summary>
/// The CA's memory across restarts: which certificates exist, their key ids and states, kept as JSON in the data
/// dir (the keys themselves stay in the key manager). Written to a temporary file and renamed, so a crash leaves
/// either the old or the new journal.
/// </summary>
public sealed class CaJournal
{
    private readonly string _path;

    public CaJournal(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
    }

    public IReadOnlyList<X509Authority> Load()
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        try
        {
            var records = JsonSerializer.Deserialize<List<Record>>(File.ReadAllText(_path)) ?? [];
            return records.Select(r => new X509Authority(
                r.KeyId,
                X509CertificateLoader.LoadCertificate(Convert.FromBase64String(r.Certificate)),
                r.UpstreamChain.Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c))).ToArray(),
                Enum.Parse<AuthorityState>(r.State))).ToList();
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new CaException($"ca: journal \"{_path}\" is corrupt: {e.Message}", e);
        }
    }

    public void Save(IEnumerable<X509Authority> authorities)
    {
        var records = authorities.Select(a => new Record(
            a.KeyId,
            Convert.ToBase64String(a.Certificate.RawData),
            a.UpstreamChain.Select(c => Convert.ToBase64String(c.RawData)).ToList(),
            a.State.ToString())).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        var temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, records);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
    }

    private sealed record Record(string KeyId, string Certificate, List<string> UpstreamChain, string State);
}
