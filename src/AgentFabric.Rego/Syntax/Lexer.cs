using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.Syntax;

/// <summary>Splits Rego source into tokens. Whitespace and comments are skipped; each token records whether a
/// newline preceded it, because newlines separate the literals of a body.</summary>
internal sealed class Lexer
{
    private readonly string _src;
    private readonly string _file;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    /// <summary>Comments seen while tokenizing: line and text after the '#'.</summary>
    public List<(int Line, string Text)> Comments { get; } = [];

    public Lexer(string source, string file)
    {
        _src = source;
        _file = file;
    }

    public static bool IsIdentifier(string s)
    {
        if (s.Length == 0 || !(char.IsAsciiLetter(s[0]) || s[0] == '_'))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    public List<Token> Tokenize()
    {
        // About one token per five characters of typical Rego: sized once instead of growing.
        var tokens = new List<Token>((_src.Length / 5) + 16);
        while (true)
        {
            var t = Next();
            tokens.Add(t);
            if (t.Kind == TokenKind.Eof)
            {
                return tokens;
            }
        }
    }

    private RegoParseException Error(int line, int col, string message) =>
        new(message, new Ast.Location(_file, line, col));

    private Token Next()
    {
        var newline = SkipSpace();
        var start = _pos;
        var line = _line;
        var col = _pos - _lineStart + 1;
        if (_pos >= _src.Length)
        {
            return new Token(TokenKind.Eof, string.Empty, line, col, newline, start, start);
        }

        var c = _src[_pos];
        Token Make(TokenKind kind, int length)
        {
            _pos += length;
            return new Token(kind, _src.Substring(start, length), line, col, newline, start, _pos);
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (_pos < _src.Length && (char.IsAsciiLetterOrDigit(_src[_pos]) || _src[_pos] == '_'))
            {
                _pos++;
            }

            return new Token(TokenKind.Ident, _src[start.._pos], line, col, newline, start, _pos);
        }

        if (char.IsAsciiDigit(c))
        {
            return LexNumber(start, line, col, newline);
        }

        switch (c)
        {
            case '"':
                return new Token(TokenKind.String, LexString(line, col), line, col, newline, start, _pos);
            case '`':
            {
                var end = _src.IndexOf('`', _pos + 1);
                if (end < 0)
                {
                    throw Error(line, col, "non-terminated raw string");
                }

                var text = _src[(_pos + 1)..end];
                CountNewlines(_pos, end);
                _pos = end + 1;
                return new Token(TokenKind.String, text, line, col, newline, start, _pos);
            }

            case '$' when Peek(1) == '"':
                _pos++;
                return new Token(TokenKind.TemplateString, LexTemplate(line, col, raw: false), line, col, newline, start, _pos);
            case '$' when Peek(1) == '`':
                _pos++;
                return new Token(TokenKind.TemplateString, LexTemplate(line, col, raw: true), line, col, newline, start, _pos);
            case '{': return Make(TokenKind.LBrace, 1);
            case '}': return Make(TokenKind.RBrace, 1);
            case '[': return Make(TokenKind.LBrack, 1);
            case ']': return Make(TokenKind.RBrack, 1);
            case '(': return Make(TokenKind.LParen, 1);
            case ')': return Make(TokenKind.RParen, 1);
            case '.': return Make(TokenKind.Dot, 1);
            case ',': return Make(TokenKind.Comma, 1);
            case ';': return Make(TokenKind.Semicolon, 1);
            case ':': return Peek(1) == '=' ? Make(TokenKind.Assign, 2) : Make(TokenKind.Colon, 1);
            case '=': return Peek(1) == '=' ? Make(TokenKind.Equal, 2) : Make(TokenKind.Unify, 1);
            case '!' when Peek(1) == '=': return Make(TokenKind.NotEqual, 2);
            case '<': return Peek(1) == '=' ? Make(TokenKind.Lte, 2) : Make(TokenKind.Lt, 1);
            case '>': return Peek(1) == '=' ? Make(TokenKind.Gte, 2) : Make(TokenKind.Gt, 1);
            case '+': return Make(TokenKind.Plus, 1);
            case '-': return Make(TokenKind.Minus, 1);
            case '*': return Make(TokenKind.Star, 1);
            case '/': return Make(TokenKind.Slash, 1);
            case '%': return Make(TokenKind.Percent, 1);
            case '&': return Make(TokenKind.Amp, 1);
            case '|': return Make(TokenKind.Pipe, 1);
            default:
                var rune = char.IsSurrogatePair(_src, _pos) ? _src.Substring(_pos, 2) : c.ToString();
                return Make(TokenKind.Illegal, rune.Length);
        }
    }

    private char Peek(int offset) => _pos + offset < _src.Length ? _src[_pos + offset] : '\0';

    private void CountNewlines(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (_src[i] == '\n')
            {
                _line++;
                _lineStart = i + 1;
            }
        }
    }

    private bool SkipSpace()
    {
        var newline = false;
        while (_pos < _src.Length)
        {
            var c = _src[_pos];
            if (c == '\n')
            {
                newline = true;
                _pos++;
                _line++;
                _lineStart = _pos;
            }
            else if (c is ' ' or '\t' or '\r')
            {
                _pos++;
            }
            else if (c == '#')
            {
                var start = _pos + 1;
                while (_pos < _src.Length && _src[_pos] != '\n')
                {
                    _pos++;
                }

                Comments.Add((_line, _src[start.._pos].TrimEnd('\r')));
            }
            else
            {
                break;
            }
        }

        return newline;
    }

    private Token LexNumber(int start, int line, int col, bool newline)
    {
        while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
        {
            _pos++;
        }

        if (_pos < _src.Length && _src[_pos] == '.' && char.IsAsciiDigit(Peek(1)))
        {
            _pos++;
            while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
            {
                _pos++;
            }
        }

        if (_pos < _src.Length && _src[_pos] is 'e' or 'E')
        {
            var save = _pos;
            _pos++;
            if (_pos < _src.Length && _src[_pos] is '+' or '-')
            {
                _pos++;
            }

            if (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
            {
                while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
                {
                    _pos++;
                }
            }
            else
            {
                _pos = save;
            }
        }

        return new Token(TokenKind.Number, _src[start.._pos], line, col, newline, start, _pos);
    }

    private string LexString(int line, int col)
    {
        _pos++; // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _src.Length || _src[_pos] == '\n')
            {
                throw Error(line, col, "non-terminated string");
            }

            var c = _src[_pos++];
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            ReadEscape(sb, line, col, allowBrace: false);
        }
    }

    private void ReadEscape(StringBuilder sb, int line, int col, bool allowBrace)
    {
        if (_pos >= _src.Length)
        {
            throw Error(line, col, "non-terminated string");
        }

        var e = _src[_pos++];
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
            case '{' when allowBrace: sb.Append('{'); break;
            case '}' when allowBrace: sb.Append('}'); break;
            case 'u':
                if (_pos + 4 > _src.Length || !int.TryParse(_src.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp))
                {
                    throw Error(line, col, "invalid escape sequence");
                }

                sb.Append((char)cp);
                _pos += 4;
                break;
            default:
                throw Error(line, col, "invalid escape sequence");
        }
    }

    // A template string's raw text: literal parts keep their escapes decoded, expressions stay as source between
    // \u0001 markers so the parser can parse them with their positions. Encoded as: text with '{' expression '}'
    // where literal braces were escaped; the parser re-lexes expression parts.
    private string LexTemplate(int line, int col, bool raw)
    {
        _pos++; // opening quote
        var close = raw ? '`' : '"';
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _src.Length || (!raw && _src[_pos] == '\n'))
            {
                throw Error(line, col, "non-terminated string");
            }

            var c = _src[_pos++];
            if (c == '\n')
            {
                _line++;
                _lineStart = _pos;
            }

            if (c == close)
            {
                return sb.ToString();
            }

            if (c == '{')
            {
                // Copy the expression verbatim up to the matching '}', marking it.
                sb.Append('\u0001').Append(_pos).Append('\u0002');
                var depth = 1;
                while (_pos < _src.Length && depth > 0)
                {
                    var d = _src[_pos];
                    if (d == '"')
                    {
                        // skip nested string
                        _pos++;
                        while (_pos < _src.Length && _src[_pos] != '"')
                        {
                            _pos += _src[_pos] == '\\' ? 2 : 1;
                        }
                    }
                    else if (d == '{')
                    {
                        depth++;
                    }
                    else if (d == '}')
                    {
                        depth--;
                        if (depth == 0)
                        {
                            break;
                        }
                    }

                    _pos++;
                }

                if (_pos >= _src.Length)
                {
                    throw Error(line, col, "non-terminated string");
                }

                sb.Append('\u0003').Append(_pos).Append('\u0004');
                _pos++;
                continue;
            }

            if (raw && c == '\\' && _pos < _src.Length && _src[_pos] == '{')
            {
                // The one escape of a raw template: `\{` is a literal brace.
                sb.Append('{');
                _pos++;
                continue;
            }

            if (c != '\\' || raw)
            {
                sb.Append(c);
                continue;
            }

            ReadEscape(sb, line, col, allowBrace: true);
        }
    }
}
