using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.Builtins.Patterns;

/// <summary>Translates a glob in the gobwas/glob syntax OPA's <c>glob.match</c> uses into an anchored .NET regex:
/// <c>*</c> is any run of non-delimiter characters, <c>**</c> any run at all, <c>?</c> one non-delimiter character,
/// <c>[abc]</c> <c>[a-z]</c> <c>[!a-z]</c> one character in (or not in) the list, <c>{a,b}</c> alternatives (which
/// may nest), and <c>\</c> escapes the next character.</summary>
internal sealed class GlobPattern
{
    private readonly string _p;
    private readonly string _notDelimiter;
    private int _i;

    private GlobPattern(string pattern, string delimiters)
    {
        _p = pattern;
        _notDelimiter = delimiters.Length == 0 ? "." : "[^" + Escape(delimiters) + "]";
    }

    public static string ToRegex(string pattern, string delimiters)
    {
        var g = new GlobPattern(pattern, delimiters);
        var body = g.Sequence(inTerms: false);
        return "\\A(?:" + body + ")\\z";
    }

    private static string Escape(string chars)
    {
        var sb = new StringBuilder();
        foreach (var r in chars.EnumerateRunes())
        {
            sb.Append(Literal(r.Value, inClass: true));
        }

        return sb.ToString();
    }

    private static string Literal(int cp, bool inClass) =>
        cp <= 0xFFFF ? "\\u" + cp.ToString("x4", CultureInfo.InvariantCulture) : inClass ? string.Empty : "(?:" + char.ConvertFromUtf32(cp) + ")";

    private string Sequence(bool inTerms)
    {
        var sb = new StringBuilder();
        while (_i < _p.Length)
        {
            var c = _p[_i];
            if (inTerms && (c == ',' || c == '}'))
            {
                return sb.ToString();
            }

            switch (c)
            {
                case '*':
                    if (_i + 1 < _p.Length && _p[_i + 1] == '*')
                    {
                        sb.Append(".*");
                        _i += 2;
                    }
                    else
                    {
                        sb.Append(_notDelimiter).Append('*');
                        _i++;
                    }

                    break;
                case '?':
                    sb.Append(_notDelimiter);
                    _i++;
                    break;
                case '[':
                    sb.Append(Range());
                    break;
                case '{':
                    sb.Append(Terms());
                    break;
                case '\\':
                    if (_i + 1 >= _p.Length)
                    {
                        throw new GlobPatternException("unexpected end of input after escape character");
                    }

                    _i++;
                    AppendLiteral(sb);
                    break;
                default:
                    AppendLiteral(sb);
                    break;
            }
        }

        if (inTerms)
        {
            throw new GlobPatternException("unexpected end of input: unclosed alternatives '{'");
        }

        return sb.ToString();
    }

    private void AppendLiteral(StringBuilder sb)
    {
        var r = Rune.GetRuneAt(_p, _i);
        sb.Append(Literal(r.Value, inClass: false));
        _i += r.Utf16SequenceLength;
    }

    private string Terms()
    {
        _i++; // '{'
        var alternatives = new List<string>();
        while (true)
        {
            alternatives.Add(Sequence(inTerms: true));
            if (_p[_i] == '}')
            {
                _i++;
                return "(?:" + string.Join('|', alternatives) + ")";
            }

            _i++; // ','
        }
    }

    private string Range()
    {
        var start = _i;
        _i++; // '['
        var negate = false;
        if (_i < _p.Length && _p[_i] == '!')
        {
            negate = true;
            _i++;
        }

        var sb = new StringBuilder();
        var any = false;
        while (true)
        {
            if (_i >= _p.Length)
            {
                throw new GlobPatternException($"unexpected end of input: unclosed range '{_p[start..]}'");
            }

            if (_p[_i] == ']')
            {
                _i++;
                break;
            }

            if (_p[_i] == '\\' && _i + 1 < _p.Length)
            {
                _i++;
            }

            var lo = Rune.GetRuneAt(_p, _i);
            _i += lo.Utf16SequenceLength;
            any = true;
            if (_i + 1 < _p.Length && _p[_i] == '-' && _p[_i + 1] != ']')
            {
                _i++;
                if (_p[_i] == '\\' && _i + 1 < _p.Length)
                {
                    _i++;
                }

                var hi = Rune.GetRuneAt(_p, _i);
                _i += hi.Utf16SequenceLength;
                if (hi.Value < lo.Value)
                {
                    throw new GlobPatternException($"invalid range '{lo}-{hi}'");
                }

                sb.Append(Literal(lo.Value, inClass: true)).Append('-').Append(Literal(hi.Value, inClass: true));
            }
            else
            {
                sb.Append(Literal(lo.Value, inClass: true));
            }
        }

        if (!any)
        {
            return negate ? "." : "[^\\s\\S]";
        }

        return (negate ? "[^" : "[") + sb + "]";
    }
}

/// <summary>A glob that does not parse.</summary>
internal sealed class GlobPatternException(string message) : Exception(message);
