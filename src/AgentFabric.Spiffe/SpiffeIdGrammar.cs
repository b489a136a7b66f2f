using System.Buffers;

namespace AgentFabric.Spiffe;

/// <summary>
/// The character-level rules of SPIFFE-ID.md, shared by <see cref="SpiffeId"/> and <see cref="TrustDomain"/>.
/// Characters are checked first (vectorised), then the path's structure; the first broken rule is reported.
/// </summary>
internal static class SpiffeIdGrammar
{
    public const string SchemePrefix = "spiffe://";

    // SPIFFE-ID §2.3: implementations must support IDs up to 2048 bytes and should not generate longer ones.
    public const int MaxIdLength = 2048;

    // SPIFFE-ID §2.3: RFC 3986 limits the host, hence the trust domain name, to 255 bytes.
    public const int MaxTrustDomainLength = 255;

    // SPIFFE-ID §2.1: trust domain names are lowercase [a-z0-9.-_].
    private static readonly SearchValues<char> s_trustDomainChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789.-_");

    // SPIFFE-ID §2.2: path segments are [a-zA-Z0-9.-_]; '/' separates them.
    private static readonly SearchValues<char> s_pathChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_/");

    private static readonly SearchValues<char> s_segmentChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");

    /// <summary>Validates a whole ID; on success <paramref name="pathIndex"/> is where the path starts.</summary>
    public static SpiffeIdError ValidateId(ReadOnlySpan<char> id, out int pathIndex)
    {
        pathIndex = 0;
        if (id.IsEmpty)
        {
            return SpiffeIdError.Empty;
        }

        // SPIFFE-ID §2.3
        if (id.Length > MaxIdLength)
        {
            return SpiffeIdError.TooLong;
        }

        // SPIFFE-ID §2: the scheme is "spiffe"; SPIFFE-ID §2.1: the authority is lowercase, so is the scheme we accept.
        if (!id.StartsWith(SchemePrefix, StringComparison.Ordinal))
        {
            return SpiffeIdError.WrongScheme;
        }

        var rest = id[SchemePrefix.Length..];
        int tdEnd = rest.IndexOfAnyExcept(s_trustDomainChars);
        if (tdEnd < 0)
        {
            tdEnd = rest.Length;
        }
        else if (rest[tdEnd] != '/')
        {
            return ClassifyAuthority(rest);
        }

        // SPIFFE-ID §2: a non-zero trust domain name; §2.1: the host must not be empty.
        if (tdEnd == 0)
        {
            return SpiffeIdError.MissingTrustDomain;
        }

        // SPIFFE-ID §2.3
        if (tdEnd > MaxTrustDomainLength)
        {
            return SpiffeIdError.TrustDomainTooLong;
        }

        pathIndex = SchemePrefix.Length + tdEnd;
        return ValidatePath(rest[tdEnd..]);
    }

    /// <summary>Validates a bare trust domain name (no scheme, no path).</summary>
    public static SpiffeIdError ValidateTrustDomainName(ReadOnlySpan<char> name)
    {
        // SPIFFE-ID §2.1: the host must not be empty.
        if (name.IsEmpty)
        {
            return SpiffeIdError.MissingTrustDomain;
        }

        if (name.ContainsAnyExcept(s_trustDomainChars))
        {
            return ClassifyAuthority(name);
        }

        // SPIFFE-ID §2.3
        return name.Length > MaxTrustDomainLength ? SpiffeIdError.TrustDomainTooLong : SpiffeIdError.None;
    }

    /// <summary>Validates a path: empty (the root) or "/seg(/seg)*".</summary>
    public static SpiffeIdError ValidatePath(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
        {
            return SpiffeIdError.None;
        }

        if (path[0] != '/')
        {
            return SpiffeIdError.NoLeadingSlash;
        }

        int bad = path.IndexOfAnyExcept(s_pathChars);
        if (bad >= 0)
        {
            return ClassifyPathChar(path[bad]);
        }

        var remaining = path;
        while (true)
        {
            remaining = remaining[1..];
            int next = remaining.IndexOf('/');
            var segment = next < 0 ? remaining : remaining[..next];
            var error = ValidateSegmentStructure(segment, isLast: next < 0);
            if (error != SpiffeIdError.None)
            {
                return error;
            }

            if (next < 0)
            {
                return SpiffeIdError.None;
            }

            remaining = remaining[next..];
        }
    }

    /// <summary>Validates one path segment given on its own (no '/').</summary>
    public static SpiffeIdError ValidateSegment(ReadOnlySpan<char> segment)
    {
        int bad = segment.IndexOfAnyExcept(s_segmentChars);
        if (bad >= 0)
        {
            return ClassifyPathChar(segment[bad]);
        }

        return ValidateSegmentStructure(segment, isLast: false);
    }

    private static SpiffeIdError ValidateSegmentStructure(ReadOnlySpan<char> segment, bool isLast)
    {
        // SPIFFE-ID §2.2: no trailing '/', no empty segments, no '.' or '..' segments.
        if (segment.IsEmpty)
        {
            return isLast ? SpiffeIdError.TrailingSlash : SpiffeIdError.EmptySegment;
        }

        if (segment[0] == '.')
        {
            if (segment.Length == 1)
            {
                return SpiffeIdError.DotSegment;
            }

            if (segment.Length == 2 && segment[1] == '.')
            {
                return SpiffeIdError.DotDotSegment;
            }
        }

        return SpiffeIdError.None;
    }

    // The authority (up to the first '/') holds a character outside [a-z0-9.-_]: name the URI part it belongs to.
    private static SpiffeIdError ClassifyAuthority(ReadOnlySpan<char> rest)
    {
        int end = rest.IndexOfAny('/', '?', '#');
        var authority = end < 0 ? rest : rest[..end];

        // SPIFFE-ID §2.1: userinfo must be empty ("user@host" or "user:pass@host").
        if (authority.Contains('@'))
        {
            return SpiffeIdError.Userinfo;
        }

        int bad = rest.IndexOfAnyExcept(s_trustDomainChars);
        return rest[bad] switch
        {
            ':' => SpiffeIdError.Port, // SPIFFE-ID §2.1: port must be empty
            '%' => SpiffeIdError.PercentEncoded, // SPIFFE-ID §2.1: no percent-encoded characters
            '?' => SpiffeIdError.Query, // SPIFFE-ID §2: no query component
            '#' => SpiffeIdError.Fragment, // SPIFFE-ID §2: no fragment component
            _ => SpiffeIdError.BadTrustDomainChar, // SPIFFE-ID §2.1: lowercase [a-z0-9.-_] only
        };
    }

    private static SpiffeIdError ClassifyPathChar(char c) => c switch
    {
        '%' => SpiffeIdError.PercentEncoded, // SPIFFE-ID §2.2: no percent-encoded characters
        '?' => SpiffeIdError.Query, // SPIFFE-ID §2: no query component
        '#' => SpiffeIdError.Fragment, // SPIFFE-ID §2: no fragment component
        _ => SpiffeIdError.BadPathChar, // SPIFFE-ID §2.2: [a-zA-Z0-9.-_] only
    };
}
