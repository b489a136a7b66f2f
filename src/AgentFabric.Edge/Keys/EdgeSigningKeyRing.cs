using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Keys;

/// <summary>
/// The edge's signing keys, rotated with overlap. A new key is published in the JWKS
/// <see cref="EdgeOptions.SigningKeyPublishLead"/> before it signs, so relying parties that cache the JWKS know it
/// before they see a token it signed; the key it replaces stops signing then and stays published until every token it
/// signed has expired (the longest access, identity or exchanged token lifetime), and stays on disk (to read the
/// codes and refresh tokens it signed) for the refresh token lifetime. Rotation happens every
/// <see cref="EdgeOptions.SigningKeyRotationPeriod"/> and on <see cref="Rotate"/> (<c>agentfabric edge keys rotate</c>).
/// Keys live in <c>signing-keys/</c> in the data directory, one file each, mode 0600; a ring also picks up keys another
/// process (the CLI) added, re-reading the directory every <see cref="ReloadInterval"/>.
/// </summary>
public sealed partial class EdgeSigningKeyRing
{
    /// <summary>How often the directory is re-read for keys added by another process.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(10);

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly TimeSpan? _period;
    private readonly TimeSpan _lead;
    private readonly TimeSpan _publishedFor;
    private readonly TimeSpan _keptFor;
    private readonly Lock _gate = new();
    private ImmutableArray<EdgeSigningKey> _keys; // ordered by SignsFrom
    private DateTimeOffset _nextReload;

    private EdgeSigningKeyRing(EdgeOptions options, TimeProvider timeProvider)
    {
        _directory = Path.Combine(options.DataDirectory, KeyDirectory);
        _time = timeProvider;
        _period = options.SigningKeyRotationPeriod;
        _lead = options.SigningKeyPublishLead;
        _publishedFor = Max(options.AccessTokenLifetime, options.IdentityTokenLifetime, options.ExchangeLifetimeCap);
        _keptFor = Max(_publishedFor, options.RefreshTokenLifetime, options.AuthorizationCodeLifetime);
    }

    /// <summary>The directory under the data directory that holds the keys.</summary>
    public const string KeyDirectory = "signing-keys";

    /// <summary>Opens the ring in the data directory, creating its first key (or taking over the single
    /// <c>signing-key.pem</c> of an older edge) when there is none. Throws <see cref="EdgeConfigException"/> for a key
    /// file that cannot be read.</summary>
    public static EdgeSigningKeyRing Open(EdgeOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var ring = new EdgeSigningKeyRing(options, timeProvider);
        lock (ring._gate)
        {
            Directory.CreateDirectory(ring._directory);
            var now = timeProvider.GetUtcNow();
            ring._keys = ring.ReadAll();
            if (ring._keys.IsEmpty)
            {
                var legacy = Path.Combine(options.DataDirectory, EdgeKeyFiles.SigningKeyFile);
                var key = File.Exists(legacy) ? EdgeKeyFiles.LoadOrCreateSigningKey(options.DataDirectory).ECDsa : ECDsa.Create(ECCurve.NamedCurves.nistP256);
                ring._keys = [ring.Write(key, now, now)];
            }

            ring._nextReload = now + ReloadInterval;
        }

        return ring;
    }

    /// <summary>The key that signs now (rotating first when the period says so).</summary>
    public EdgeSigningKey Current => Select(_time.GetUtcNow()).Current;

    /// <summary>The keys the JWKS lists now: those published and not yet past their overlap.</summary>
    public IReadOnlyList<EdgeSigningKey> Published => Select(_time.GetUtcNow()).Published;

    /// <summary>The keys the edge accepts its own tokens from (codes and refresh tokens included).</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys => [.. Select(_time.GetUtcNow()).Kept.Select(k => k.Key)];

    /// <summary>Adds a key, published now and signing after the publish lead. Throws <see cref="EdgeConfigException"/>
    /// when it cannot be written.</summary>
    public EdgeSigningKey Rotate()
    {
        lock (_gate)
        {
            return RotateLocked(_time.GetUtcNow());
        }
    }

    private EdgeSigningKey RotateLocked(DateTimeOffset now)
    {
        {
            var latest = _keys[^1].SignsFrom;
            // A rotation right after another still signs after the one before it, so the order stays the signing order.
            var signsFrom = now + _lead > latest ? now + _lead : latest + TimeSpan.FromSeconds(1);
            var key = Write(ECDsa.Create(ECCurve.NamedCurves.nistP256), now, signsFrom);
            _keys = [.. _keys, key];
            Prune(now);
            return key;
        }
    }

    private (EdgeSigningKey Current, EdgeSigningKey[] Published, EdgeSigningKey[] Kept) Select(DateTimeOffset now)
    {
        var keys = Refresh(now);
        var current = keys[0];
        foreach (var key in keys)
        {
            if (key.SignsFrom <= now)
            {
                current = key;
            }
        }

        var published = new List<EdgeSigningKey>(keys.Length);
        var kept = new List<EdgeSigningKey>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            // A key signs until the next one starts; its tokens live at most _publishedFor (or _keptFor) after that.
            var retired = i + 1 < keys.Length ? keys[i + 1].SignsFrom : DateTimeOffset.MaxValue;
            if (keys[i].Published <= now && (retired == DateTimeOffset.MaxValue || retired + _publishedFor > now))
            {
                published.Add(keys[i]);
            }

            if (retired == DateTimeOffset.MaxValue || retired + _keptFor > now)
            {
                kept.Add(keys[i]);
            }
        }

        return (current, [.. published], [.. kept]);
    }

    /// <summary>The keys, after a periodic rotation or a re-read of the directory when one is due.</summary>
    private ImmutableArray<EdgeSigningKey> Refresh(DateTimeOffset now)
    {
        var keys = _keys;
        var rotationDue = _period is { } period && keys[^1].SignsFrom + period - _lead <= now;
        if (!rotationDue && now < _nextReload)
        {
            return keys;
        }

        lock (_gate)
        {
            if (now >= _nextReload)
            {
                var read = ReadAll();
                if (!read.IsEmpty)
                {
                    _keys = read;
                }

                _nextReload = now + ReloadInterval;
            }

            if (_period is { } p && _keys[^1].SignsFrom + p - _lead <= now)
            {
                RotateLocked(now);
            }

            return _keys;
        }
    }

    private static TimeSpan Max(params TimeSpan[] values) => values.Max();
}
