using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using AgentFabric.Spiffe.Jose;

namespace AgentFabric.Spiffe.Bundles.Jwt;

/// <summary>
/// The JWT-SVID signing keys (authorities) of one trust domain, by key ID (JWT-SVID §6, go-spiffe's
/// <c>jwtbundle.Bundle</c>). Thread-safe: readers get an immutable snapshot, writers replace it under a lock. The bundle
/// is also a source that answers for its own trust domain only. An empty bundle trusts nothing
/// (Bundle §4.1.3).
/// </summary>
public sealed partial class JwtBundle : IJwtBundleSource
{
    private readonly Lock _gate = new();
    private JwtAuthority[] _authorities;

    /// <summary>An empty bundle for <paramref name="trustDomain"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    public JwtBundle(TrustDomain trustDomain)
        : this(trustDomain, [])
    {
    }

    /// <summary>A bundle of <paramref name="authorities"/> for <paramref name="trustDomain"/>.</summary>
    /// <exception cref="ArgumentException">The trust domain is the zero value, or two authorities share a key ID.</exception>
    public JwtBundle(TrustDomain trustDomain, IEnumerable<JwtAuthority> authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("jwtbundle: the trust domain is the zero value", nameof(trustDomain));
        }

        TrustDomain = trustDomain;
        _authorities = Distinct(authorities);
    }

    /// <summary>The trust domain the authorities are authoritative for.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>A snapshot of the authorities, in insertion order.</summary>
    public IReadOnlyList<JwtAuthority> JwtAuthorities => Array.AsReadOnly(Volatile.Read(ref _authorities));

    /// <summary>True when the bundle holds no authority: every JWT-SVID of the trust domain is untrusted.</summary>
    public bool IsEmpty => Volatile.Read(ref _authorities).Length == 0;

    /// <summary>A bundle of <paramref name="authorities"/> (go-spiffe's <c>FromJWTAuthorities</c>).</summary>
    /// <exception cref="ArgumentException">The trust domain is the zero value, or two authorities share a key ID.</exception>
    public static JwtBundle FromJwtAuthorities(TrustDomain trustDomain, IEnumerable<JwtAuthority> authorities) =>
        new(trustDomain, authorities);

    /// <summary>The authority named <paramref name="keyId"/>, if any.</summary>
    public bool TryFindJwtAuthority(string keyId, [NotNullWhen(true)] out JwtAuthority? authority)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        foreach (var candidate in Volatile.Read(ref _authorities))
        {
            if (string.Equals(candidate.KeyId, keyId, StringComparison.Ordinal))
            {
                authority = candidate;
                return true;
            }
        }

        authority = null;
        return false;
    }

    /// <summary>The authority named <paramref name="keyId"/>.</summary>
    /// <exception cref="JwtBundleException">The bundle has no such key.</exception>
    public JwtAuthority FindJwtAuthority(string keyId) =>
        TryFindJwtAuthority(keyId, out var authority)
            ? authority
            : throw new JwtBundleException($"jwtbundle: no JWT authority \"{keyId}\" in trust domain \"{TrustDomain}\"");

    /// <summary>True when the bundle has a key named <paramref name="keyId"/>.</summary>
    public bool HasJwtAuthority(string keyId) => TryFindJwtAuthority(keyId, out _);

    /// <summary>Adds an authority, replacing any authority with the same key ID.</summary>
    public void AddJwtAuthority(JwtAuthority authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        lock (_gate)
        {
            var next = new List<JwtAuthority>(_authorities.Length + 1);
            bool replaced = false;
            foreach (var existing in _authorities)
            {
                bool same = string.Equals(existing.KeyId, authority.KeyId, StringComparison.Ordinal);
                next.Add(same ? authority : existing);
                replaced |= same;
            }

            if (!replaced)
            {
                next.Add(authority);
            }

            Volatile.Write(ref _authorities, [.. next]);
        }
    }

    /// <summary>Adds <paramref name="publicKey"/> (ECDsa on a NIST curve, or RSA) as <paramref name="keyId"/>,
    /// replacing any authority with the same key ID.</summary>
    /// <exception cref="ArgumentException">The key ID is empty or the key is of another kind.</exception>
    public void AddJwtAuthority(string keyId, AsymmetricAlgorithm publicKey) =>
        AddJwtAuthority(new JwtAuthority(keyId, publicKey));

    /// <summary>Removes the authority named <paramref name="keyId"/>; returns false when it was absent.</summary>
    public bool RemoveJwtAuthority(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        lock (_gate)
        {
            var next = _authorities.Where(a => !string.Equals(a.KeyId, keyId, StringComparison.Ordinal)).ToArray();
            if (next.Length == _authorities.Length)
            {
                return false;
            }

            Volatile.Write(ref _authorities, next);
            return true;
        }
    }

    /// <summary>Replaces all authorities at once (e.g. on a Workload API update).</summary>
    /// <exception cref="ArgumentException">Two authorities share a key ID; the bundle is left unchanged.</exception>
    public void SetJwtAuthorities(IEnumerable<JwtAuthority> authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        var next = Distinct(authorities);
        lock (_gate)
        {
            Volatile.Write(ref _authorities, next);
        }
    }

    /// <summary>True when <paramref name="other"/> has the same trust domain and the same authorities (key IDs and
    /// keys) in the same order.</summary>
    public bool ContentEquals([NotNullWhen(true)] JwtBundle? other) =>
        other is not null &&
        other.TrustDomain == TrustDomain &&
        Volatile.Read(ref _authorities).SequenceEqual(Volatile.Read(ref other._authorities));

    /// <summary>An independent copy.</summary>
    public JwtBundle Clone() => new(TrustDomain, Volatile.Read(ref _authorities));

    /// <summary>This bundle when <paramref name="trustDomain"/> is its own.</summary>
    /// <exception cref="JwtBundleException">The trust domain is another one.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == TrustDomain
            ? this
            : throw new JwtBundleException(NoBundleMessage(trustDomain));

    internal static string NoBundleMessage(TrustDomain trustDomain) =>
        $"jwtbundle: no JWT bundle for trust domain \"{trustDomain}\"";

    /// <summary>The current authorities without copying (never mutated once published).</summary>
    internal JwtAuthority[] Snapshot => Volatile.Read(ref _authorities);

    private static JwtAuthority[] Distinct(IEnumerable<JwtAuthority> authorities)
    {
        var result = new List<JwtAuthority>();
        foreach (var authority in authorities)
        {
            ArgumentNullException.ThrowIfNull(authority, nameof(authorities));
            if (result.Any(a => string.Equals(a.KeyId, authority.KeyId, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"jwtbundle: duplicate key ID \"{authority.KeyId}\"", nameof(authorities));
            }

            result.Add(authority);
        }

        return [.. result];
    }
}
