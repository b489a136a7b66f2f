namespace ResearchAgents.Providers.Rest;

/// <summary>
/// The checks a provider's settings must pass, shared by the providers' constructors (which throw
/// <see cref="ArgumentException"/>) and <see cref="RestProviderSettings.FromConfiguration"/> (which names the
/// environment variable). Each returns what is wrong, or <see langword="null"/>.
/// </summary>
internal static class EndpointRules
{
    /// <summary>The base address must be absolute http(s) with no query or fragment (paths are appended to it); an
    /// API key is sent over plain http only to this machine (loopback), so a key never crosses a network in clear.</summary>
    public static string? CheckBaseAddress(Uri? baseAddress, bool sendsKey)
    {
        if (baseAddress is null || !baseAddress.IsAbsoluteUri
            || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            return "is not an absolute http(s) URL";
        }

        if (baseAddress.Query.Length > 0 || baseAddress.Fragment.Length > 0 || baseAddress.UserInfo.Length > 0)
        {
            return "must not have a query, a fragment or user info";
        }

        if (sendsKey && baseAddress.Scheme == Uri.UriSchemeHttp && !baseAddress.IsLoopback)
        {
            return "is plain http to another machine: the API key would travel in clear (use https)";
        }

        return null;
    }

    /// <summary>An API key goes into an HTTP header: visible ASCII only (RFC 9110 §5.5 field values; no spaces,
    /// so nothing can split or extend the header).</summary>
    public static string? CheckApiKey(string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return "is empty";
        }

        foreach (char c in apiKey)
        {
            if (c is < '!' or > '~')
            {
                return "has a character not allowed in an HTTP header (only visible ASCII)";
            }
        }

        return null;
    }

    /// <summary>A model name becomes part of a URL path (Gemini) or a JSON string (OpenAI-compatible): not empty, and
    /// for a path no character that would change it.</summary>
    public static string? CheckModel(string? model, bool inUrlPath)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return "is empty";
        }

        if (inUrlPath)
        {
            foreach (char c in model)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
                {
                    return "is not a model name (letters, digits, '-', '.', '_'; e.g. gemini-2.5-flash)";
                }
            }
        }

        return null;
    }

    public static string? CheckTimeout(TimeSpan timeout) =>
        timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan ? null : "must be positive and finite";

    /// <summary>The base address with a trailing slash, so a relative path is appended rather than replacing the
    /// last segment (http://host/v1 + chat/completions is http://host/v1/chat/completions).</summary>
    public static Uri WithTrailingSlash(Uri baseAddress) =>
        baseAddress.AbsolutePath.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");

    public static void ThrowIfInvalid(string? problem, string paramName, string what)
    {
        if (problem is not null)
        {
            throw new ArgumentException($"{what} {problem}", paramName);
        }
    }
}
