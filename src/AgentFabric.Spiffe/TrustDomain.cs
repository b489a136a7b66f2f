using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace AgentFabric.Spiffe;

/// <summary>
/// A SPIFFE trust domain name (SPIFFE-ID §2.1), e.g. <c>example.org</c>. The default value is the zero trust domain
/// (<see cref="IsZero"/>), which no valid ID belongs to.
/// </summary>
public readonly struct TrustDomain : IEquatable<TrustDomain>, ISpanParsable<TrustDomain>
{
    // Trust domains are few; SpiffeId.TrustDomain reuses one string per name instead of allocating a substring each
    // time. Bounded so that a peer sending many distinct names cannot grow it without limit.
    private const int InternCapacity = 1024;
    private static readonly ConcurrentDictionary<string, string> s_interned = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> s_internedLookup =
        s_interned.GetAlternateLookup<ReadOnlySpan<char>>();

    // Most processes see one trust domain over and over: remember the last one before consulting the dictionary.
    private static string? s_lastInterned;

    private readonly string? _name;

    private TrustDomain(string name) => _name = name;

    /// <summary>The trust domain name, e.g. <c>example.org</c>; empty for the zero value.</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>True for <c>default(TrustDomain)</c>.</summary>
    public bool IsZero => _name is null;

    /// <summary>The SPIFFE ID of the trust domain itself, as a string: <c>spiffe://example.org</c>.</summary>
    public string IdString => IsZero ? string.Empty : SpiffeIdGrammar.SchemePrefix + _name;

    /// <summary>The SPIFFE ID of the trust domain itself (root path), e.g. <c>spiffe://example.org</c>.</summary>
    public SpiffeId Id => IsZero ? default : SpiffeId.FromValidated(IdString, IdString.Length);

    /// <summary>
    /// Parses a trust domain from a bare name (<c>example.org</c>) or from a SPIFFE ID (<c>spiffe://example.org</c>,
    /// whose path, if any, is ignored), like go-spiffe's <c>TrustDomainFromString</c>.
    /// </summary>
    /// <exception cref="SpiffeIdException">The name breaks a rule of SPIFFE-ID §2.1.</exception>
    public static TrustDomain Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var error = TryParseCore(value, out var td);
        return error == SpiffeIdError.None ? td : throw SpiffeIdErrors.Exception(error);
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static TrustDomain Parse(ReadOnlySpan<char> value)
    {
        var error = TryParseCore(value, out var td);
        return error == SpiffeIdError.None ? td : throw SpiffeIdErrors.Exception(error);
    }

    /// <summary>Parses like <see cref="Parse(string)"/>; returns false for a null or invalid value.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out TrustDomain trustDomain) =>
        TryParse(value, out trustDomain, out _);

    /// <summary>Parses like <see cref="Parse(string)"/>; on failure <paramref name="error"/> names the broken rule.</summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? value,
        out TrustDomain trustDomain,
        [NotNullWhen(false)] out string? error)
    {
        if (value is null)
        {
            trustDomain = default;
            error = SpiffeIdErrors.Message(SpiffeIdError.MissingTrustDomain);
            return false;
        }

        var code = TryParseCore(value, out trustDomain);
        error = code == SpiffeIdError.None ? null : SpiffeIdErrors.Message(code);
        return error is null;
    }

    /// <summary>Parses like <see cref="Parse(ReadOnlySpan{char})"/>; returns false for an invalid value.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out TrustDomain trustDomain) =>
        TryParseCore(value, out trustDomain) == SpiffeIdError.None;

    /// <summary>True when <paramref name="id"/> belongs to this trust domain.</summary>
    public bool Contains(SpiffeId id) => id.IsMemberOf(this);

    public bool Equals(TrustDomain other) => string.Equals(_name, other._name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is TrustDomain other && Equals(other);

    public override int GetHashCode() => _name is null ? 0 : StringComparer.Ordinal.GetHashCode(_name);

    /// <summary>The trust domain name, e.g. <c>example.org</c>.</summary>
    public override string ToString() => Name;

    public static bool operator ==(TrustDomain left, TrustDomain right) => left.Equals(right);

    public static bool operator !=(TrustDomain left, TrustDomain right) => !left.Equals(right);

    // IParsable / ISpanParsable let hosts bind TrustDomain from configuration, routes and query strings.
    static TrustDomain IParsable<TrustDomain>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<TrustDomain>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out TrustDomain result) =>
        TryParse(s, out result);

    static TrustDomain ISpanParsable<TrustDomain>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<TrustDomain>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out TrustDomain result) =>
        TryParse(s, out result);

    /// <summary>Wraps a name already validated by <see cref="SpiffeIdGrammar"/>, reusing an interned string.</summary>
    internal static TrustDomain FromValidated(ReadOnlySpan<char> name)
    {
        var last = Volatile.Read(ref s_lastInterned);
        if (last is not null && name.SequenceEqual(last))
        {
            return new TrustDomain(last);
        }

        if (s_internedLookup.TryGetValue(name, out var existing))
        {
            Volatile.Write(ref s_lastInterned, existing);
            return new TrustDomain(existing);
        }

        var created = name.ToString();
        if (s_interned.Count < InternCapacity)
        {
            created = s_interned.GetOrAdd(created, created);
            Volatile.Write(ref s_lastInterned, created);
        }

        return new TrustDomain(created);
    }

    private static SpiffeIdError TryParseCore(ReadOnlySpan<char> value, out TrustDomain trustDomain)
    {
        trustDomain = default;

        // Like go-spiffe: a value with ":/" is read as a SPIFFE ID and its trust domain is taken.
        if (value.Contains(":/", StringComparison.Ordinal))
        {
            var idError = SpiffeIdGrammar.ValidateId(value, out int pathIndex);
            if (idError != SpiffeIdError.None)
            {
                return idError;
            }

            trustDomain = FromValidated(value[SpiffeIdGrammar.SchemePrefix.Length..pathIndex]);
            return SpiffeIdError.None;
        }

        var error = SpiffeIdGrammar.ValidateTrustDomainName(value);
        if (error == SpiffeIdError.None)
        {
            trustDomain = FromValidated(value);
        }

        return error;
    }
}
