using System.Text;
using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Builtins.Net;

/// <summary>A URL split as Go's <c>net/url.Parse</c> splits it (RFC 3986 with Go's leniencies): scheme (lower-cased),
/// opaque part, host (with port, brackets kept), path (unescaped) and the raw path when the unescaped path would
/// re-escape differently, raw query, and fragment (unescaped). Errors carry Go's text.</summary>
internal sealed class UriParts
{
    public string Scheme { get; private set; } = string.Empty;

    public string Opaque { get; private set; } = string.Empty;

    public string Host { get; private set; } = string.Empty;

    public string Path { get; private set; } = string.Empty;

    public string RawPath { get; private set; } = string.Empty;

    public string RawQuery { get; private set; } = string.Empty;

    public string Fragment { get; private set; } = string.Empty;

    /// <summary>The host without port and brackets (Go's <c>Hostname</c>).</summary>
    public string Hostname => SplitHostPort(Host).Host;

    /// <summary>The port digits, or "" (Go's <c>Port</c>).</summary>
    public string Port => SplitHostPort(Host).Port;

    /// <summary>Parses; throws <see cref="RegoBuiltinException"/> with Go's <c>parse "URL": reason</c> text.</summary>
    public static UriParts Parse(string raw)
    {
        var hash = raw.IndexOf('#', StringComparison.Ordinal);
        var main = hash < 0 ? raw : raw[..hash];
        UriParts url;
        try
        {
            url = ParseWithoutFragment(main);
        }
        catch (FormatException e)
        {
            throw new RegoBuiltinException($"parse {GoQuote.Quote(main)}: {e.Message}");
        }

        if (hash >= 0)
        {
            try
            {
                url.Fragment = Unescape(raw[(hash + 1)..], Component.Fragment);
            }
            catch (FormatException e)
            {
                throw new RegoBuiltinException($"parse {GoQuote.Quote(raw)}: {e.Message}");
            }
        }

        return url;
    }

    private enum Component
    {
        Path,
        Host,
        UserPassword,
        Fragment,
    }

    private static UriParts ParseWithoutFragment(string raw)
    {
        foreach (var c in raw)
        {
            if (c < 0x20 || c == 0x7F)
            {
                throw new FormatException("net/url: invalid control character in URL");
            }
        }

        var url = new UriParts();
        if (raw == "*")
        {
            url.Path = "*";
            return url;
        }

        var (scheme, rest) = SplitScheme(raw);
        url.Scheme = scheme.ToLowerInvariant();
        if (rest.EndsWith('?') && rest.Count(c => c == '?') == 1)
        {
            rest = rest[..^1];
        }
        else
        {
            var q = rest.IndexOf('?', StringComparison.Ordinal);
            if (q >= 0)
            {
                url.RawQuery = rest[(q + 1)..];
                rest = rest[..q];
            }
        }

        if (!rest.StartsWith('/'))
        {
            if (url.Scheme.Length > 0)
            {
                // RFC 3986 §3: a rootless path after a scheme is opaque (mailto:user@example.com).
                url.Opaque = rest;
                return url;
            }

            var firstSegment = rest.Split('/')[0];
            if (firstSegment.Contains(':', StringComparison.Ordinal))
            {
                throw new FormatException("first path segment in URL cannot contain colon");
            }
        }

        if ((url.Scheme.Length > 0 || !rest.StartsWith("///", StringComparison.Ordinal)) && rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..];
            rest = string.Empty;
            var slash = authority.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                rest = authority[slash..];
                authority = authority[..slash];
            }

            url.Host = ParseAuthority(authority);
        }

        url.Path = Unescape(rest, Component.Path);
        url.RawPath = Escape(url.Path) == rest ? string.Empty : rest;
        return url;
    }

    // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) followed by ':'.
    private static (string Scheme, string Remainder) SplitScheme(string raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (char.IsAsciiLetter(c))
            {
                continue;
            }

            if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
            {
                if (i == 0)
                {
                    return (string.Empty, raw);
                }

                continue;
            }

            if (c == ':')
            {
                return i == 0 ? throw new FormatException("missing protocol scheme") : (raw[..i], raw[(i + 1)..]);
            }

            return (string.Empty, raw);
        }

        return (string.Empty, raw);
    }

    private static string ParseAuthority(string authority)
    {
        var at = authority.LastIndexOf('@');
        var host = ParseHost(at < 0 ? authority : authority[(at + 1)..]);
        if (at >= 0)
        {
            var userinfo = authority[..at];
            foreach (var c in userinfo)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || "-._:~!$&'()*+,;=%@".Contains(c, StringComparison.Ordinal)))
                {
                    throw new FormatException("net/url: invalid userinfo");
                }
            }

            foreach (var part in userinfo.Split(':', 2))
            {
                Unescape(part, Component.UserPassword);
            }
        }

        return host;
    }

    private static string ParseHost(string host)
    {
        if (host.StartsWith('['))
        {
            // RFC 3986 §3.2.2 / RFC 6874: an IPv6 literal, optionally with a %25-escaped zone, then an optional port.
            var close = host.LastIndexOf(']');
            if (close < 0)
            {
                throw new FormatException("missing ']' in host");
            }

            var colonPort = host[(close + 1)..];
            if (!ValidOptionalPort(colonPort))
            {
                throw new FormatException($"invalid port {GoQuote.Quote(colonPort)} after host");
            }

            var literal = host[1..close];
            var zone = literal.IndexOf("%25", StringComparison.Ordinal);
            var address = zone >= 0 ? literal[..zone] : literal;
            if (!address.Contains(':', StringComparison.Ordinal) || !NetAddress.TryParse(address, out _))
            {
                throw new FormatException($"invalid IP-literal {GoQuote.Quote(host[..(close + 1)])}");
            }
        }
        else
        {
            var colon = host.LastIndexOf(':');
            if (colon >= 0 && !ValidOptionalPort(host[colon..]))
            {
                throw new FormatException($"invalid port {GoQuote.Quote(host[colon..])} after host");
            }
        }

        return Unescape(host, Component.Host);
    }

    private static bool ValidOptionalPort(string port) =>
        port.Length == 0 || (port[0] == ':' && port.Skip(1).All(char.IsAsciiDigit));

    private static (string Host, string Port) SplitHostPort(string hostPort)
    {
        var host = hostPort;
        var port = string.Empty;
        var colon = host.LastIndexOf(':');
        if (colon >= 0 && ValidOptionalPort(host[colon..]))
        {
            port = host[(colon + 1)..];
            host = host[..colon];
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return (host, port);
    }

    // Percent-decoding over UTF-8 bytes. In a host, escapes may only encode non-ASCII bytes (or %25 for a zone),
    // and ASCII characters outside the reg-name set are rejected (RFC 3986 §3.2.2).
    private static string Unescape(string s, Component component)
    {
        if (!s.Contains('%', StringComparison.Ordinal) && component != Component.Host)
        {
            return s;
        }

        var bytes = new List<byte>(s.Length);
        var utf8 = Encoding.UTF8.GetBytes(s);
        for (var i = 0; i < utf8.Length;)
        {
            var b = utf8[i];
            if (b == '%')
            {
                if (i + 2 >= utf8.Length || !char.IsAsciiHexDigit((char)utf8[i + 1]) || !char.IsAsciiHexDigit((char)utf8[i + 2]))
                {
                    var bad = Encoding.UTF8.GetString(utf8, i, Math.Min(3, utf8.Length - i));
                    throw new FormatException($"invalid URL escape {GoQuote.Quote(bad)}");
                }

                var escape = Encoding.ASCII.GetString(utf8, i, 3);
                var value = Convert.ToByte(escape[1..], 16);
                if (component == Component.Host && value < 0x80 && escape != "%25")
                {
                    throw new FormatException($"invalid URL escape {GoQuote.Quote(escape)}");
                }

                bytes.Add(value);
                i += 3;
                continue;
            }

            if (component == Component.Host && b < 0x80 && ShouldEscapeInHost((char)b))
            {
                throw new FormatException($"invalid character {GoQuote.Quote(((char)b).ToString())} in host name");
            }

            bytes.Add(b);
            i++;
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool ShouldEscapeInHost(char c) =>
        !(char.IsAsciiLetterOrDigit(c) || "-_.~!$&'()*+,;=:[]<>\"".Contains(c, StringComparison.Ordinal));

    /// <summary>The path as sent on the wire (Go's <c>EscapedPath</c>): the raw path when it is a valid encoding of
    /// the path, the escaped path otherwise.</summary>
    public string EscapedPath
    {
        get
        {
            if (RawPath.Length > 0 && RawPath.All(c => c < 0x80 && (c == '%' || "!$&'()*+,;=:@[]".Contains(c, StringComparison.Ordinal) || Escape(c.ToString()) == c.ToString())))
            {
                try
                {
                    if (Unescape(RawPath, Component.Path) == Path)
                    {
                        return RawPath;
                    }
                }
                catch (FormatException)
                {
                    // Not a valid encoding: fall back to escaping the path.
                }
            }

            return Path == "*" ? "*" : Escape(Path);
        }
    }

    // Go's escape(path, encodePath): everything but unreserved characters and "$&+,/:;=@" is percent-encoded.
    private static string Escape(string path)
    {
        var sb = new StringBuilder(path.Length);
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || "-_.~$&+,/:;=@".Contains(c, StringComparison.Ordinal)))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
