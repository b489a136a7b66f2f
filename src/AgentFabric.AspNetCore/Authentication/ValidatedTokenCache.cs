using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using AgentFabric.Spiffe;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AgentFabric.AspNetCore;

/// <summary>
/// Tokens whose signature, issuer, <c>typ</c> and audience were verified, keyed by the exact token text, so a caller
/// that sends the same exchanged token on every request pays for one signature check, not one per request. An entry is
/// only used with the very metadata (JWKS) it was verified against and for the same audience: a re-read key set or a
/// new SPIFFE ID of this workload means a full verification again. Lifetime and the binding to the connection
/// (<c>act.sub</c>, <c>cnf</c>) are not cached: they are checked on every request. Bounded: when full, expired entries
/// are dropped and, if it is still full, new tokens are verified without being cached (never an allow).
/// </summary>
internal sealed class ValidatedTokenCache
{
    /// <summary>How many verified tokens are kept at most.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, ValidatedToken> _entries = new(StringComparer.Ordinal);

    // Lookup by the header's characters: a cached token costs no copy of its text per request.
    private readonly ConcurrentDictionary<string, ValidatedToken>.AlternateLookup<ReadOnlySpan<char>> _byText;
    private readonly Lock _sweep = new();

    public ValidatedTokenCache(int capacity = DefaultCapacity)
    {
        _capacity = capacity;
        _byText = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The number of cached tokens.</summary>
    public int Count => _entries.Count;

    /// <summary>The entry for <paramref name="token"/> when it was verified against <paramref name="configuration"/>
    /// for <paramref name="audience"/>.</summary>
    public bool TryGet(ReadOnlySpan<char> token, OpenIdConnectConfiguration configuration, SpiffeId audience, [NotNullWhen(true)] out ValidatedToken? entry)
    {
        if (_byText.TryGetValue(token, out entry))
        {
            if (ReferenceEquals(entry.Configuration, configuration) && entry.Audience == audience)
            {
                return true;
            }

            // Verified against keys the edge no longer publishes as such (or for another audience): verify again.
            _entries.TryRemove(new KeyValuePair<string, ValidatedToken>(entry.Token.Token, entry));
        }

        entry = null;
        return false;
    }

    /// <summary>Keeps a verified token until its expiry (plus the skew).</summary>
    public void Add(ValidatedToken entry, DateTimeOffset now, TimeSpan skew)
    {
        if (_entries.Count >= _capacity)
        {
            Sweep(now, skew);
            if (_entries.Count >= _capacity)
            {
                return;
            }
        }

        _entries[entry.Token.Token] = entry;
    }

    private void Sweep(DateTimeOffset now, TimeSpan skew)
    {
        // One sweeper at a time; others skip caching meanwhile rather than wait.
        if (!_sweep.TryEnter())
        {
            return;
        }

        try
        {
            foreach (var (key, value) in _entries)
            {
                if (value.Token.Expiry + skew <= now)
                {
                    _entries.TryRemove(key, out _);
                }
            }
        }
        finally
        {
            _sweep.Exit();
        }
    }
}
