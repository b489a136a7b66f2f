using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Tests.Pki;

/// <summary>Everything a test may vary in a certificate; the defaults make a valid X509-SVID leaf.</summary>
internal sealed record TestCertificateOptions
{
    public string Subject { get; init; } = "CN=test";

    /// <summary>URI SANs, written verbatim (no System.Uri normalisation), so malformed IDs can be tested.</summary>
    public IReadOnlyList<string> Uris { get; init; } = [];

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public bool SanCritical { get; init; }

    /// <summary>When set, the SAN extension's value is exactly these bytes (for malformed encodings).</summary>
    public byte[]? RawSan { get; init; }

    /// <summary>URI name constraints (RFC 5280 §4.2.1.10 permittedSubtrees), for signing certificates.</summary>
    public IReadOnlyList<string> PermittedUriHosts { get; init; } = [];

    /// <summary>Adds the SAN extension twice (RFC 5280 §4.2 forbids it).</summary>
    public bool DuplicateSan { get; init; }

    /// <summary>null omits the basic constraints extension.</summary>
    public bool? IsCa { get; init; } = false;

    /// <summary>null omits the key usage extension.</summary>
    public X509KeyUsageFlags? KeyUsage { get; init; } = X509KeyUsageFlags.DigitalSignature;

    public bool KeyUsageCritical { get; init; } = true;

    /// <summary>Extended key usages; empty omits the extension.</summary>
    public IReadOnlyList<string> ExtendedKeyUsages { get; init; } = [];

    public DateTimeOffset NotBefore { get; init; } = TestClock.Now.AddHours(-1);

    public DateTimeOffset NotAfter { get; init; } = TestClock.Now.AddHours(1);

    /// <summary>"ec" (P-256) or "rsa" (2048).</summary>
    public string KeyType { get; init; } = "ec";

    public static TestCertificateOptions Leaf(string id) => new() { Uris = [id] };

    public static TestCertificateOptions Authority(string? id) => new()
    {
        Subject = TestCa.UniqueSubject(),
        Uris = id is null ? [] : [id],
        IsCa = true,
        KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
        NotBefore = TestClock.Now.AddDays(-1),
        NotAfter = TestClock.Now.AddDays(30),
    };
}
