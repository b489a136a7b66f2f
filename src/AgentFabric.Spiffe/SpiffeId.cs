using System.Diagnostics.CodeAnalysis;

namespace AgentFabric.Spiffe;

/// <summary>
/// A SPIFFE ID (SPIFFE-ID §2): <c>spiffe://trust-domain/path</c>. Values are always valid except the zero value
/// <c>default(SpiffeId)</c> (<see cref="IsZero"/>). Equality is ordinal on the canonical string.
/// </summary>
public readonly struct SpiffeId : IEquatable<SpiffeId>, ISpanParsable<SpiffeId>
{
    private readonly string? _id;
    private readonly int _pathIndex;

    private SpiffeId(string id, int pathIndex)
    {
        _id = id;
        _pathIndex = pathIndex;
    }

    /// <summary>The trust domain the ID belongs to.</summary>
    public TrustDomain TrustDomain =>
        _id is null ? default : TrustDomain.FromValidated(_id.AsSpan(SpiffeIdGrammar.SchemePrefix.Length.._pathIndex));

    /// <summary>The path, e.g. <c>/ns/prod/sa/web</c>; empty for the trust domain's own ID.</summary>
    public string Path => _id is null ? string.Empty : _id[_pathIndex..];

    /// <summary>The path without allocating.</summary>
    public ReadOnlySpan<char> PathSpan => _id is null ? default : _id.AsSpan(_pathIndex);

    /// <summary>True for <c>default(SpiffeId)</c>.</summary>
    public bool IsZero => _id is null;

    /// <summary>True when the path is empty: the ID names the trust domain itself, not a workload.</summary>
    public bool IsRoot => _id is not null && _pathIndex == _id.Length;

    /// <summary>Parses and validates a SPIFFE ID; no allocation, the result holds <paramref name="id"/>.</summary>
    /// <exception cref="SpiffeIdException">The ID breaks a rule of SPIFFE-ID §2.</exception>
    public static SpiffeId Parse(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var error = SpiffeIdGrammar.ValidateId(id, out int pathIndex);
        return error == SpiffeIdError.None ? new SpiffeId(id, pathIndex) : throw SpiffeIdErrors.Exception(error);
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static SpiffeId Parse(ReadOnlySpan<char> id)
    {
        var error = SpiffeIdGrammar.ValidateId(id, out int pathIndex);
        return error == SpiffeIdError.None ? new SpiffeId(id.ToString(), pathIndex) : throw SpiffeIdErrors.Exception(error);
    }

    /// <summary>Parses like <see cref="Parse(string)"/>; returns false for a null or invalid ID.</summary>
    public static bool TryParse([NotNullWhen(true)] string? id, out SpiffeId spiffeId) => TryParse(id, out spiffeId, out _);

    /// <summary>Parses like <see cref="Parse(string)"/>; on failure <paramref name="error"/> names the broken rule.</summary>
    public static bool TryParse([NotNullWhen(true)] string? id, out SpiffeId spiffeId, [NotNullWhen(false)] out string? error)
    {
        if (id is null)
        {
            spiffeId = default;
            error = SpiffeIdErrors.Message(SpiffeIdError.Empty);
            return false;
        }

        var code = SpiffeIdGrammar.ValidateId(id, out int pathIndex);
        spiffeId = code == SpiffeIdError.None ? new SpiffeId(id, pathIndex) : default;
        error = code == SpiffeIdError.None ? null : SpiffeIdErrors.Message(code);
        return error is null;
    }

    /// <summary>Parses like <see cref="Parse(ReadOnlySpan{char})"/>; returns false for an invalid ID.</summary>
    public static bool TryParse(ReadOnlySpan<char> id, out SpiffeId spiffeId)
    {
        var code = SpiffeIdGrammar.ValidateId(id, out int pathIndex);
        spiffeId = code == SpiffeIdError.None ? new SpiffeId(id.ToString(), pathIndex) : default;
        return code == SpiffeIdError.None;
    }

    /// <summary>Builds <c>spiffe://td/seg1/seg2...</c> from path segments, each validated on its own.</summary>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    /// <exception cref="SpiffeIdException">A segment breaks a rule of SPIFFE-ID §2.2.</exception>
    public static SpiffeId FromSegments(TrustDomain trustDomain, params string[] segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return FromPath(trustDomain, JoinSegments(segments));
    }

    /// <summary>Builds <c>spiffe://td/path</c>; the path is empty or starts with '/'.</summary>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    /// <exception cref="SpiffeIdException">The path breaks a rule of SPIFFE-ID §2.2 or the ID is too long.</exception>
    public static SpiffeId FromPath(TrustDomain trustDomain, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("spiffeid: the trust domain is the zero value", nameof(trustDomain));
        }

        var error = SpiffeIdGrammar.ValidatePath(path);
        if (error != SpiffeIdError.None)
        {
            throw SpiffeIdErrors.Exception(error);
        }

        string id = SpiffeIdGrammar.SchemePrefix + trustDomain.Name + path;

        // SPIFFE-ID §2.3
        if (id.Length > SpiffeIdGrammar.MaxIdLength)
        {
            throw SpiffeIdErrors.Exception(SpiffeIdError.TooLong);
        }

        return new SpiffeId(id, id.Length - path.Length);
    }

    /// <summary>True when the ID belongs to <paramref name="trustDomain"/>.</summary>
    public bool IsMemberOf(TrustDomain trustDomain) =>
        _id is not null &&
        !trustDomain.IsZero &&
        _id.AsSpan(SpiffeIdGrammar.SchemePrefix.Length.._pathIndex).SequenceEqual(trustDomain.Name);

    /// <summary>The same trust domain with another path (empty or starting with '/').</summary>
    public SpiffeId ReplacePath(string path) => FromPath(RequireTrustDomain(), path);

    /// <summary>The same trust domain with <paramref name="path"/> (starting with '/') appended to the path.</summary>
    public SpiffeId AppendPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trustDomain = RequireTrustDomain();
        var error = SpiffeIdGrammar.ValidatePath(path);
        if (error != SpiffeIdError.None)
        {
            throw SpiffeIdErrors.Exception(error);
        }

        return FromPath(trustDomain, Path + path);
    }

    /// <summary>The same trust domain with other path segments.</summary>
    public SpiffeId ReplaceSegments(params string[] segments) => FromSegments(RequireTrustDomain(), segments);

    /// <summary>The same trust domain with <paramref name="segments"/> appended to the path.</summary>
    public SpiffeId AppendSegments(params string[] segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return FromPath(RequireTrustDomain(), Path + JoinSegments(segments));
    }

    public bool Equals(SpiffeId other) => string.Equals(_id, other._id, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is SpiffeId other && Equals(other);

    public override int GetHashCode() => _id is null ? 0 : StringComparer.Ordinal.GetHashCode(_id);

    /// <summary>The ID as a string, e.g. <c>spiffe://example.org/web</c>; empty for the zero value.</summary>
    public override string ToString() => _id ?? string.Empty;

    public static bool operator ==(SpiffeId left, SpiffeId right) => left.Equals(right);

    public static bool operator !=(SpiffeId left, SpiffeId right) => !left.Equals(right);

    // IParsable / ISpanParsable let hosts bind SpiffeId from configuration, routes and query strings.
    static SpiffeId IParsable<SpiffeId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<SpiffeId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out SpiffeId result) =>
        TryParse(s, out result);

    static SpiffeId ISpanParsable<SpiffeId>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<SpiffeId>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out SpiffeId result) =>
        TryParse(s, out result);

    /// <summary>Wraps an ID already validated (or built from validated parts).</summary>
    internal static SpiffeId FromValidated(string id, int pathIndex) => new(id, pathIndex);

    private static string JoinSegments(string[] segments)
    {
        foreach (var segment in segments)
        {
            ArgumentNullException.ThrowIfNull(segment, nameof(segments));
            var error = SpiffeIdGrammar.ValidateSegment(segment);
            if (error != SpiffeIdError.None)
            {
                throw SpiffeIdErrors.Exception(error);
            }
        }

        return segments.Length == 0 ? string.Empty : "/" + string.Join('/', segments);
    }

    private TrustDomain RequireTrustDomain() =>
        _id is null ? throw new InvalidOperationException("spiffeid: the SPIFFE ID is the zero value") : TrustDomain;
}
