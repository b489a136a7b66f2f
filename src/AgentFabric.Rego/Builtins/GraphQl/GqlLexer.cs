using System.Globalization;
using System.Text;
using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Builtins.GraphQl;

/// <summary>Splits a GraphQL document into tokens (GraphQL spec §2.1). Whitespace, commas, the BOM and comments are
/// ignored. A lexical error yields an <see cref="GqlTokenKind.Invalid"/> token plus the error, so a parser that only
/// peeks reports "Unexpected &lt;Invalid&gt;" while one that consumes it reports the lexical message.</summary>
internal sealed class GqlLexer(string input)
{
    private readonly string _input = input;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private int Column(int at) => CountRunes(_lineStart, at) + 1;

    private int CountRunes(int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++)
        {
            if (!char.IsLowSurrogate(_input[i]))
            {
                n++;
            }
        }

        return n;
    }

    public GqlToken Next(out GqlException? error)
    {
        error = null;
        SkipIgnored();
        var start = _pos;
        var col = Column(start);
        if (_pos >= _input.Length)
        {
            return new GqlToken(GqlTokenKind.Eof, "", _line, col);
        }

        var c = _input[_pos];
        GqlTokenKind? punct = c switch
        {
            '!' => GqlTokenKind.Bang,
            '$' => GqlTokenKind.Dollar,
            '&' => GqlTokenKind.Amp,
            '(' => GqlTokenKind.ParenL,
            ')' => GqlTokenKind.ParenR,
            ':' => GqlTokenKind.Colon,
            '=' => GqlTokenKind.Equals,
            '@' => GqlTokenKind.At,
            '[' => GqlTokenKind.BracketL,
            ']' => GqlTokenKind.BracketR,
            '{' => GqlTokenKind.BraceL,
            '}' => GqlTokenKind.BraceR,
            '|' => GqlTokenKind.Pipe,
            _ => null,
        };
        if (punct is { } p)
        {
            _pos++;
            return new GqlToken(p, "", _line, col);
        }

        if (c == '.')
        {
            if (_input.AsSpan(_pos).StartsWith("..."))
            {
                _pos += 3;
                return new GqlToken(GqlTokenKind.Spread, "", _line, col);
            }

            return Fail(out error, col, "Unexpected character \".\".");
        }

        if (c == '_' || char.IsAsciiLetter(c))
        {
            while (_pos < _input.Length && (_input[_pos] == '_' || char.IsAsciiLetterOrDigit(_input[_pos])))
            {
                _pos++;
            }

            return new GqlToken(GqlTokenKind.Name, _input[start.._pos], _line, col);
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            return ReadNumber(col, out error);
        }

        if (c == '"')
        {
            // The reference implementation positions string tokens after their opening quotes; OPA's messages show that.
            return _input.AsSpan(_pos).StartsWith("\"\"\"") ? ReadBlockString(col + 3, out error) : ReadString(col + 1, out error);
        }

        return Fail(out error, col, $"Cannot parse the unexpected character {GoQuote.Quote(char.ConvertFromUtf32(char.ConvertToUtf32(_input, _pos)))}.");
    }

    private GqlToken Fail(out GqlException? error, int col, string message)
    {
        error = new GqlException(message, _line, col);
        return new GqlToken(GqlTokenKind.Invalid, "", _line, col);
    }

    private void NewLine(int nextLineStart)
    {
        _line++;
        _lineStart = nextLineStart;
    }

    // GraphQL spec §2.1.2-2.1.5: white space, line terminators, comments and commas are ignored.
    private void SkipIgnored()
    {
        while (_pos < _input.Length)
        {
            var c = _input[_pos];
            if (c is ' ' or '\t' or ',' or '\ufeff')
            {
                _pos++;
            }
            else if (c == '\n')
            {
                _pos++;
                NewLine(_pos);
            }
            else if (c == '\r')
            {
                _pos++;
                if (_pos < _input.Length && _input[_pos] == '\n')
                {
                    _pos++;
                }

                NewLine(_pos);
            }
            else if (c == '#')
            {
                while (_pos < _input.Length && _input[_pos] is not '\n' and not '\r')
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    // GraphQL spec §2.9.1-2.9.2: IntValue and FloatValue.
    private GqlToken ReadNumber(int col, out GqlException? error)
    {
        error = null;
        var start = _pos;
        var isFloat = false;
        if (Peek() == '-')
        {
            _pos++;
        }

        if (Peek() == '0')
        {
            _pos++;
            if (char.IsAsciiDigit(Peek()))
            {
                return Fail(out error, Column(_pos), $"Invalid number, unexpected digit after 0: {GoQuote.Quote(Peek().ToString())}.");
            }
        }
        else if (!ReadDigits(out error))
        {
            return new GqlToken(GqlTokenKind.Invalid, "", _line, col);
        }

        if (Peek() == '.')
        {
            isFloat = true;
            _pos++;
            if (!ReadDigits(out error))
            {
                return new GqlToken(GqlTokenKind.Invalid, "", _line, col);
            }
        }

        if (Peek() is 'e' or 'E')
        {
            isFloat = true;
            _pos++;
            if (Peek() is '+' or '-')
            {
                _pos++;
            }

            if (!ReadDigits(out error))
            {
                return new GqlToken(GqlTokenKind.Invalid, "", _line, col);
            }
        }

        return new GqlToken(isFloat ? GqlTokenKind.Float : GqlTokenKind.Int, _input[start.._pos], _line, col);
    }

    private bool ReadDigits(out GqlException? error)
    {
        error = null;
        if (!char.IsAsciiDigit(Peek()))
        {
            var found = _pos < _input.Length ? GoQuote.Quote(Peek().ToString()) : "<EOF>";
            Fail(out error, Column(_pos), $"Invalid number, expected digit but got: {found}.");
            return false;
        }

        while (char.IsAsciiDigit(Peek()))
        {
            _pos++;
        }

        return true;
    }

    private char Peek() => _pos < _input.Length ? _input[_pos] : '\0';

    // GraphQL spec §2.9.4: StringValue with escape sequences.
    private GqlToken ReadString(int col, out GqlException? error)
    {
        error = null;
        _pos++;
        var sb = new StringBuilder();
        while (_pos < _input.Length)
        {
            var c = _input[_pos];
            if (c is '\n' or '\r')
            {
                break;
            }

            if (c == '"')
            {
                _pos++;
                return new GqlToken(GqlTokenKind.String, sb.ToString(), _line, col);
            }

            if (c < 0x20 && c != '\t')
            {
                return Fail(out error, Column(_pos), $"Invalid character within String: \"\\u{(int)c:X4}\".");
            }

            if (c != '\\')
            {
                sb.Append(c);
                _pos++;
                continue;
            }

            _pos++;
            var e = Peek();
            _pos++;
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _input.Length ||
                        !int.TryParse(_input.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        return Fail(out error, Column(_pos - 2), "Invalid character escape sequence.");
                    }

                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    return Fail(out error, Column(_pos - 2), $"Invalid character escape sequence: \\{e}.");
            }
        }

        return Fail(out error, Column(_pos), "Unterminated string.");
    }

    // GraphQL spec §2.9.4: block strings keep raw text except \""" and are dedented by BlockStringValue().
    private GqlToken ReadBlockString(int col, out GqlException? error)
    {
        error = null;
        var line = _line;
        _pos += 3;
        var sb = new StringBuilder();
        while (_pos < _input.Length)
        {
            var c = _input[_pos];
            if (_input.AsSpan(_pos).StartsWith("\"\"\""))
            {
                _pos += 3;
                return new GqlToken(GqlTokenKind.BlockString, BlockStringValue(sb.ToString()), line, col);
            }

            if (c < 0x20 && c is not '\t' and not '\n' and not '\r')
            {
                return Fail(out error, Column(_pos), $"Invalid character within String: \"\\u{(int)c:X4}\".");
            }

            if (_input.AsSpan(_pos).StartsWith("\\\"\"\""))
            {
                sb.Append("\"\"\"");
                _pos += 4;
                continue;
            }

            sb.Append(c);
            _pos++;
            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                NewLine(_pos);
            }
        }

        return Fail(out error, Column(_pos), "Unterminated string.");
    }

    // GraphQL spec §2.9.4 BlockStringValue(): common indentation and leading/trailing blank lines are removed.
    private static string BlockStringValue(string raw)
    {
        var lines = raw.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        int? common = null;
        for (var i = 1; i < lines.Length; i++)
        {
            var indent = LeadingWhitespace(lines[i]);
            if (indent < lines[i].Length && (common is null || indent < common))
            {
                common = indent;
            }
        }

        if (common is { } n && n > 0)
        {
            for (var i = 1; i < lines.Length; i++)
            {
                lines[i] = lines[i].Length >= n ? lines[i][n..] : "";
            }
        }

        var first = 0;
        var last = lines.Length - 1;
        while (first <= last && LeadingWhitespace(lines[first]) == lines[first].Length)
        {
            first++;
        }

        while (last >= first && LeadingWhitespace(lines[last]) == lines[last].Length)
        {
            last--;
        }

        return first > last ? "" : string.Join('\n', lines[first..(last + 1)]);
    }

    private static int LeadingWhitespace(string s)
    {
        var i = 0;
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }
}
