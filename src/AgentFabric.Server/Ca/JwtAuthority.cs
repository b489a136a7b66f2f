using System.Security.Cryptography;
using System.Text.Json;
using AgentFabric.Server.KeyManagement;

namespace AgentFabric.Server.Ca;

/// <summary>
/// The trust domain's JWT signing keys (ES256, each with a <c>kid</c>), rotated like the X.509 CA: the next key is
/// prepared and published in the bundle at half of the active key's life and signs from five sixths on, so every
/// verifier already holds it. Keys live in the key manager; their ids and lifetimes in a journal in the data dir.
/// </summary>
public sealed class JwtAuthority
{
    private readonly IKeyManager _keys;
    private readonly string _journalPath;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private volatile IReadOnlyList<JwtKey> _keysList = [];

    public JwtAuthority(IKeyManager keys, string journalPath, TimeSpan ttl, TimeProvider time)
    {
        _keys = keys;
        _journalPath = journalPath;
        _ttl = ttl;
        _time = time;
    }

    public IReadOnlyList<JwtKey> Keys => _keysList;

    public JwtKey Active => _keysList.First(k => k.State == AuthorityState.Active);

    public void Initialize()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var kept = Load().Where(k => k.NotAfter > now && _keys.GetKey(k.KeyId) is not null).ToList();
            if (!kept.Any(k => k.State == AuthorityState.Active))
            {
                var prepared = kept.FindIndex(k => k.State == AuthorityState.Prepared);
                if (prepared >= 0)
                {
                    kept[prepared] = kept[prepared] with { State = AuthorityState.Active };
                }
                else
                {
                    kept.Add(Mint(AuthorityState.Active, now));
                }
            }

            Save(kept);
        }
    }

    /// <summary>Advances the schedule; returns the steps taken ("pruned", "prepared", "activated").</summary>
    public IReadOnlyList<string> Rotate()
    {
        lock (_lock)
        {
            var steps = new List<string>();
            var now = _time.GetUtcNow();
            var list = _keysList.ToList();
            if (list.RemoveAll(k => k.NotAfter <= now && k.State == AuthorityState.Old) > 0)
            {
                steps.Add("pruned");
            }

            var active = list.First(k => k.State == AuthorityState.Active);
            var life = active.NotAfter - active.NotBefore;
            if (!list.Any(k => k.State == AuthorityState.Prepared) && now >= active.NotBefore + (life / 2))
            {
                list.Add(Mint(AuthorityState.Prepared, now));
                steps.Add("prepared");
            }

            if (list.Any(k => k.State == AuthorityState.Prepared) && now >= active.NotBefore + (life * 5 / 6))
            {
                list = list.Select(k => k.State switch
                {
                    AuthorityState.Active => k with { State = AuthorityState.Old },
                    AuthorityState.Prepared => k with { State = AuthorityState.Active },
                    _ => k,
                }).ToList();
                steps.Add("activated");
            }

            if (steps.Count > 0)
            {
                Save(list);
            }

            return steps;
        }
    }

    /// <summary>The signing key now and its kid.</summary>
    public (string Kid, ECDsa Key) SigningKey()
    {
        var active = Active;
        return (active.Kid, _keys.GetKey(active.KeyId) ?? throw new CaException($"ca: JWT key \"{active.KeyId}\" is missing"));
    }

    /// <summary>The public keys, for the bundle (JWT-SVID §6: each under its kid); keys the key manager lost are left out.</summary>
    public IReadOnlyList<Spiffe.Bundles.Jwt.JwtAuthority> PublicAuthorities()
    {
        var authorities = new List<Spiffe.Bundles.Jwt.JwtAuthority>();
        foreach (var k in _keysList)
        {
            if (_keys.GetKey(k.KeyId) is { } key)
            {
                authorities.Add(new Spiffe.Bundles.Jwt.JwtAuthority(k.Kid, key));
            }
        }

        return authorities;
    }

    private JwtKey Mint(AuthorityState state, DateTimeOffset now)
    {
        var kid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var keyId = "jwt-" + kid;
        _keys.GenerateKey(keyId);
        return new JwtKey(kid, keyId, now, now + _ttl, state);
    }

    private List<JwtKey> Load()
    {
        if (!File.Exists(_journalPath))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<JwtKey>>(File.ReadAllText(_journalPath)) ?? [];
        }
        catch (JsonException e)
        {
            throw new CaException($"ca: JWT key journal \"{_journalPath}\" is corrupt: {e.Message}", e);
        }
    }

    private void Save(List<JwtKey> keys)
    {
        var temp = _journalPath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(keys));
        File.Move(temp, _journalPath, overwrite: true);
        _keysList = keys;
    }
}

/// <summary>One JWT signing key: its kid (in JWT headers and the bundle), key-manager id, lifetime and state.</summary>
public sealed record JwtKey(string Kid, string KeyId, DateTimeOffset NotBefore, DateTimeOffset NotAfter, AuthorityState State);
