using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Bundles.X509;

/// <summary>
/// The X.509 authorities (CA certificates) of one trust domain (Bundle §3, X509-SVID §6).
/// Thread-safe: readers get an immutable snapshot, writers replace it under a lock. The bundle is also a source that
/// answers for its own trust domain only.
/// </summary>
public sealed class X509Bundle : IX509BundleSource
{
    private readonly Lock _gate = new();
    private X509Certificate2[] _authorities;

    /// <summary>An empty bundle for <paramref name="trustDomain"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    public X509Bundle(TrustDomain trustDomain)
        : this(trustDomain, [])
    {
    }

    /// <summary>A bundle of <paramref name="authorities"/> (duplicates are dropped) for <paramref name="trustDomain"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    public X509Bundle(TrustDomain trustDomain, IEnumerable<X509Certificate2> authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("x509bundle: the trust domain is the zero value", nameof(trustDomain));
        }

        TrustDomain = trustDomain;
        _authorities = Distinct(authorities);
    }

    /// <summary>The trust domain the authorities are authoritative for.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>A snapshot of the authorities, in insertion order.</summary>
    public IReadOnlyList<X509Certificate2> Authorities => Array.AsReadOnly(Volatile.Read(ref _authorities));

    /// <summary>True when the bundle holds no authority.</summary>
    public bool IsEmpty => Volatile.Read(ref _authorities).Length == 0;

    /// <summary>Reads a bundle from PEM "CERTIFICATE" blocks. Empty input gives an empty bundle.</summary>
    /// <exception cref="X509BundleException">The data is not a list of PEM certificates.</exception>
    public static X509Bundle Parse(TrustDomain trustDomain, ReadOnlySpan<byte> pem) =>
        TryParse(trustDomain, pem, out var bundle, out var error) ? bundle : throw new X509BundleException(error);

    /// <summary>Reads like <see cref="Parse"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(
        TrustDomain trustDomain,
        ReadOnlySpan<byte> pem,
        [NotNullWhen(true)] out X509Bundle? bundle,
        [NotNullWhen(false)] out string? error)
    {
        bundle = null;
        error = null;
        if (pem.IsEmpty)
        {
            bundle = new X509Bundle(trustDomain);
            return true;
        }

        if (!CertificateEncoding.TryReadPemCertificates(pem, out var certificates, out var reason))
        {
            error = "x509bundle: " + reason;
            return false;
        }

        bundle = new X509Bundle(trustDomain, certificates);
        return true;
    }

    /// <summary>Reads a bundle from concatenated DER certificates (the Workload API's form). Empty input gives an
    /// empty bundle.</summary>
    /// <exception cref="X509BundleException">The data is not a sequence of DER certificates.</exception>
    public static X509Bundle FromDer(TrustDomain trustDomain, ReadOnlySpan<byte> der) =>
        TryFromDer(trustDomain, der, out var bundle, out var error) ? bundle : throw new X509BundleException(error);

    /// <summary>Reads like <see cref="FromDer"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryFromDer(
        TrustDomain trustDomain,
        ReadOnlySpan<byte> der,
        [NotNullWhen(true)] out X509Bundle? bundle,
        [NotNullWhen(false)] out string? error)
    {
        bundle = null;
        error = null;
        if (der.IsEmpty)
        {
            bundle = new X509Bundle(trustDomain);
            return true;
        }

        if (!CertificateEncoding.TryReadDerCertificates(der, out var certificates, out var reason))
        {
            error = "x509bundle: " + reason;
            return false;
        }

        bundle = new X509Bundle(trustDomain, certificates);
        return true;
    }

    /// <summary>Reads a PEM bundle file.</summary>
    /// <exception cref="X509BundleException">The file cannot be read or parsed.</exception>
    public static X509Bundle Load(TrustDomain trustDomain, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] pem;
        try
        {
            pem = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new X509BundleException("x509bundle: unable to load X.509 bundle file: " + ex.Message, ex);
        }

        return Parse(trustDomain, pem);
    }

    /// <summary>The authorities as PEM "CERTIFICATE" blocks.</summary>
    public byte[] Marshal() => CertificateEncoding.WritePem(Volatile.Read(ref _authorities));

    /// <summary>The authorities as concatenated DER.</summary>
    public byte[] MarshalRaw() => CertificateEncoding.WriteDer(Volatile.Read(ref _authorities));

    /// <summary>True when an authority with the same encoding is in the bundle.</summary>
    public bool HasAuthority(X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return IndexOf(Volatile.Read(ref _authorities), authority) >= 0;
    }

    /// <summary>Adds an authority; does nothing if it is already present.</summary>
    public void AddAuthority(X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        lock (_gate)
        {
            if (IndexOf(_authorities, authority) < 0)
            {
                Volatile.Write(ref _authorities, [.. _authorities, authority]);
            }
        }
    }

    /// <summary>Removes an authority (matched by encoding); returns false when it was absent.</summary>
    public bool RemoveAuthority(X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        lock (_gate)
        {
            int index = IndexOf(_authorities, authority);
            if (index < 0)
            {
                return false;
            }

            var next = _authorities.ToList();
            next.RemoveAt(index);
            Volatile.Write(ref _authorities, next.ToArray());
            return true;
        }
    }

    /// <summary>Replaces all authorities at once (e.g. on a Workload API update).</summary>
    public void SetAuthorities(IEnumerable<X509Certificate2> authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        var next = Distinct(authorities);
        lock (_gate)
        {
            Volatile.Write(ref _authorities, next);
        }
    }

    /// <summary>True when <paramref name="other"/> has the same trust domain and the same authorities in the same
    /// order (compared by encoding).</summary>
    public bool ContentEquals([NotNullWhen(true)] X509Bundle? other)
    {
        if (other is null || other.TrustDomain != TrustDomain)
        {
            return false;
        }

        var mine = Volatile.Read(ref _authorities);
        var theirs = Volatile.Read(ref other._authorities);
        if (mine.Length != theirs.Length)
        {
            return false;
        }

        for (int i = 0; i < mine.Length; i++)
        {
            if (!mine[i].RawDataMemory.Span.SequenceEqual(theirs[i].RawDataMemory.Span))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An independent copy (same certificate objects, separate list).</summary>
    public X509Bundle Clone() => new(TrustDomain, Volatile.Read(ref _authorities));

    /// <summary>This bundle when <paramref name="trustDomain"/> is its own.</summary>
    /// <exception cref="X509BundleException">The trust domain is another one.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == TrustDomain
            ? this
            : throw new X509BundleException(NoBundleMessage(trustDomain));

    internal static string NoBundleMessage(TrustDomain trustDomain) =>
        $"x509bundle: no X.509 bundle for trust domain \"{trustDomain}\"";

    private static int IndexOf(ReadOnlySpan<X509Certificate2> authorities, X509Certificate2 authority)
    {
        var raw = authority.RawDataMemory.Span;
        for (int i = 0; i < authorities.Length; i++)
        {
            if (authorities[i].RawDataMemory.Span.SequenceEqual(raw))
            {
                return i;
            }
        }

        return -1;
    }

    private static X509Certificate2[] Distinct(IEnumerable<X509Certificate2> authorities)
    {
        var result = new List<X509Certificate2>();
        foreach (var authority in authorities)
        {
            ArgumentNullException.ThrowIfNull(authority, nameof(authorities));
            if (IndexOf(CollectionsMarshal.AsSpan(result), authority) < 0)
            {
                result.Add(authority);
            }
        }

        return [.. result];
    }
}
