using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;

namespace AgentFabric.Spiffe.Bundles;

/// <summary>
/// A SPIFFE bundle (Bundle §3-§4): every authority of one trust domain — X.509 CA certificates and
/// JWT-SVID signing keys — with the optional sequence number and refresh hint. <see cref="X509Bundle"/> and
/// <see cref="JwtBundle"/> are live views: changing them changes this bundle. Thread-safe. The bundle is a source of
/// all three kinds for its own trust domain only.
/// </summary>
public sealed partial class SpiffeBundle : IX509BundleSource, IJwtBundleSource, ISpiffeBundleSource
{
    private Metadata _metadata;

    /// <summary>An empty bundle for <paramref name="trustDomain"/>: it trusts nothing.</summary>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    public SpiffeBundle(TrustDomain trustDomain)
        : this(trustDomain, [], [])
    {
    }

    /// <summary>A bundle of the given authorities.</summary>
    /// <exception cref="ArgumentException">The trust domain is the zero value, two JWT authorities share a key ID,
    /// or the refresh hint is negative.</exception>
    public SpiffeBundle(
        TrustDomain trustDomain,
        IEnumerable<X509Certificate2> x509Authorities,
        IEnumerable<JwtAuthority> jwtAuthorities,
        ulong? sequenceNumber = null,
        TimeSpan? refreshHint = null)
    {
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("spiffebundle: the trust domain is the zero value", nameof(trustDomain));
        }

        CheckRefreshHint(refreshHint);
        TrustDomain = trustDomain;
        X509Bundle = new X509Bundle(trustDomain, x509Authorities);
        JwtBundle = new JwtBundle(trustDomain, jwtAuthorities);
        _metadata = new Metadata(sequenceNumber, refreshHint);
    }

    /// <summary>The trust domain the bundle is authoritative for.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>The X.509 authorities, as a live <see cref="X509.X509Bundle"/> view.</summary>
    public X509Bundle X509Bundle { get; }

    /// <summary>The JWT authorities, as a live <see cref="Jwt.JwtBundle"/> view.</summary>
    public JwtBundle JwtBundle { get; }

    /// <summary>A snapshot of the X.509 authorities.</summary>
    public IReadOnlyList<X509Certificate2> X509Authorities => X509Bundle.Authorities;

    /// <summary>A snapshot of the JWT authorities.</summary>
    public IReadOnlyList<JwtAuthority> JwtAuthorities => JwtBundle.JwtAuthorities;

    /// <summary><c>spiffe_sequence</c> (Bundle §4.1.1), or null when unset.</summary>
    public ulong? SequenceNumber
    {
        get => Volatile.Read(ref _metadata).SequenceNumber;
        set => Update(m => m with { SequenceNumber = value });
    }

    /// <summary><c>spiffe_refresh_hint</c> (Bundle §4.1.2), whole seconds, or null when unset.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public TimeSpan? RefreshHint
    {
        get => Volatile.Read(ref _metadata).RefreshHint;
        set
        {
            CheckRefreshHint(value);
            Update(m => m with { RefreshHint = value });
        }
    }

    /// <summary>True when the bundle has no authority of either kind: all SVIDs of the trust domain are untrusted
    /// (Bundle §4.1.3).</summary>
    public bool IsEmpty => X509Bundle.IsEmpty && JwtBundle.IsEmpty;

    /// <summary>A SPIFFE bundle holding a copy of the X.509 bundle's authorities.</summary>
    public static SpiffeBundle FromX509Bundle(X509Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return new SpiffeBundle(bundle.TrustDomain, bundle.Authorities, []);
    }

    /// <summary>A SPIFFE bundle holding a copy of the JWT bundle's authorities.</summary>
    public static SpiffeBundle FromJwtBundle(JwtBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return new SpiffeBundle(bundle.TrustDomain, [], bundle.JwtAuthorities);
    }

    /// <summary>True when <paramref name="other"/> has the same trust domain, authorities, sequence number and
    /// refresh hint.</summary>
    public bool ContentEquals([NotNullWhen(true)] SpiffeBundle? other) =>
        other is not null &&
        other.TrustDomain == TrustDomain &&
        Volatile.Read(ref _metadata) == Volatile.Read(ref other._metadata) &&
        X509Bundle.ContentEquals(other.X509Bundle) &&
        JwtBundle.ContentEquals(other.JwtBundle);

    /// <summary>An independent copy.</summary>
    public SpiffeBundle Clone()
    {
        var metadata = Volatile.Read(ref _metadata);
        return new SpiffeBundle(TrustDomain, X509Authorities, JwtAuthorities, metadata.SequenceNumber, metadata.RefreshHint);
    }

    /// <summary>The X.509 view when <paramref name="trustDomain"/> is this bundle's.</summary>
    /// <exception cref="X509BundleException">The trust domain is another one.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == TrustDomain ? X509Bundle : throw new X509BundleException(X509Bundle.NoBundleMessage(trustDomain));

    /// <summary>The JWT view when <paramref name="trustDomain"/> is this bundle's.</summary>
    /// <exception cref="JwtBundleException">The trust domain is another one.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == TrustDomain ? JwtBundle : throw new JwtBundleException(JwtBundle.NoBundleMessage(trustDomain));

    /// <summary>This bundle when <paramref name="trustDomain"/> is its own.</summary>
    /// <exception cref="SpiffeBundleException">The trust domain is another one.</exception>
    public SpiffeBundle GetSpiffeBundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == TrustDomain ? this : throw new SpiffeBundleException(NoBundleMessage(trustDomain));

    internal static string NoBundleMessage(TrustDomain trustDomain) =>
        $"spiffebundle: no SPIFFE bundle for trust domain \"{trustDomain}\"";

    private static void CheckRefreshHint(TimeSpan? refreshHint)
    {
        if (refreshHint is { } hint && hint < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(refreshHint), "spiffebundle: the refresh hint is negative");
        }
    }

    private void Update(Func<Metadata, Metadata> change)
    {
        Metadata current, next;
        do
        {
            current = Volatile.Read(ref _metadata);
            next = change(current);
        }
        while (!ReferenceEquals(Interlocked.CompareExchange(ref _metadata, next, current), current));
    }

    private sealed record Metadata(ulong? SequenceNumber, TimeSpan? RefreshHint);
}
