using System.Globalization;
using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.GoCompat;

internal sealed partial class GoTemplate
{
    private sealed partial class Parser
    {
        // Splits text and actions, applying trim markers ("{{- " trims whitespace before, " -}}" after) and
        // dropping comments.
        private static List<Item> Split(string text)
        {
            var items = new List<Item>();
            var line = 1;
            var i = 0;
            var trimNextText = false;
            while (i < text.Length)
            {
                var open = text.IndexOf("{{", i, StringComparison.Ordinal);
                var segment = open < 0 ? text[i..] : text[i..open];
                var trimBefore = open >= 0 && open + 3 < text.Length && text[open + 2] == '-' && IsSpace(text[open + 3]);
                if (trimNextText)
                {
                    segment = segment.TrimStart(' ', '\t', '\r', '\n');
                }

                if (trimBefore)
                {
                    segment = segment.TrimEnd(' ', '\t', '\r', '\n');
                }

                if (segment.Length > 0)
                {
                    items.Add(new Item(false, segment, line));
                }

                line += Count(text, i, open < 0 ? text.Length : open);
                if (open < 0)
                {
                    break;
                }

                var start = open + (trimBefore ? 3 : 2);
                var close = FindClose(text, start, line);
                var body = text[start..close];
                trimNextText = body.Length > 0 && body[^1] == '-' && body.Length >= 2 && IsSpace(body[^2]);
                if (trimNextText)
                {
                    body = body[..^1];
                }

                var trimmed = body.Trim();
                if (!(trimmed.StartsWith("/*", StringComparison.Ordinal) && trimmed.EndsWith("*/", StringComparison.Ordinal)))
                {
                    items.Add(new Item(true, body, line));
                }

                line += Count(text, open, close + 2);
                i = close + 2;
            }

            return items;
        }

        // The index of the "}}" closing an action, skipping quoted text.
        private static int FindClose(string text, int start, int line)
        {
            for (var i = start; i < text.Length; i++)
            {
                var c = text[i];
                if (c is '"' or '\'' or '`')
                {
                    var end = i + 1;
                    while (end < text.Length && text[end] != c)
                    {
                        end += c != '`' && text[end] == '\\' ? 2 : 1;
                    }

                    i = end;
                    continue;
                }

                if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        throw Error(line, "unclosed comment");
                    }

                    i = end + 1;
                    continue;
                }

                if (c == '}' && i + 1 < text.Length && text[i + 1] == '}')
                {
                    return i;
                }
            }

            throw Error(line, "unclosed action");
        }

        private static List<Token> Lex(string action, int line)
        {
            var tokens = new List<Token>();
            var i = 0;
            var space = true;
            while (i < action.Length)
            {
                var c = action[i];
                if (IsSpace(c))
                {
                    space = true;
                    i++;
                    continue;
                }

                var start = i;
                Token token;
                if (c == '.' && (i + 1 >= action.Length || !IsIdentifierChar(action[i + 1])) && !(i + 1 < action.Length && char.IsAsciiDigit(action[i + 1])))
                {
                    i++;
                    token = new Token(TokenKind.Field, string.Empty, null, space);
                }
                else if (c == '.' && char.IsAsciiLetter(action[i + 1]) || (c == '.' && action[i + 1] == '_'))
                {
                    i++;
                    while (i < action.Length && IsIdentifierChar(action[i]))
                    {
                        i++;
                    }

                    token = new Token(TokenKind.Field, action[(start + 1)..i], null, space);
                }
                else if (c == '$')
                {
                    i++;
                    while (i < action.Length && IsIdentifierChar(action[i]))
                    {
                        i++;
                    }

                    token = new Token(TokenKind.Variable, action[start..i], null, space);
                }
                else if (char.IsAsciiLetter(c) || c == '_')
                {
                    while (i < action.Length && IsIdentifierChar(action[i]))
                    {
                        i++;
                    }

                    token = new Token(TokenKind.Identifier, action[start..i], null, space);
                }
                else if (c is '"' or '`' or '\'')
                {
                    var end = i + 1;
                    while (end < action.Length && action[end] != c)
                    {
                        end += c != '`' && action[end] == '\\' ? 2 : 1;
                    }

                    if (end >= action.Length)
                    {
                        throw Error(line, c == '`' ? "unterminated raw quoted string" : "unterminated quoted string");
                    }

                    var raw = action[(i + 1)..end];
                    object value = c == '`' ? raw : Unquote(raw, line);
                    if (c == '\'')
                    {
                        // A character constant is a number (its code point).
                        var s = (string)value;
                        value = NumberValue.Create(char.ConvertToUtf32(s, 0));
                    }

                    i = end + 1;
                    token = new Token(TokenKind.Constant, action[start..i], value, space);
                }
                else if (char.IsAsciiDigit(c) || ((c is '-' or '+' or '.') && i + 1 < action.Length && char.IsAsciiDigit(action[i + 1])))
                {
                    i++;
                    while (i < action.Length && (char.IsAsciiLetterOrDigit(action[i]) || action[i] is '.' or '_' || (action[i] is '+' or '-' && action[i - 1] is 'e' or 'E')))
                    {
                        i++;
                    }

                    var text = action[start..i].Replace("_", string.Empty, StringComparison.Ordinal);
                    if (!NumberValue.TryParse(text, out var n))
                    {
                        throw Error(line, $"bad number syntax: {GoQuote.Quote(action[start..i])}");
                    }

                    token = new Token(TokenKind.Constant, action[start..i], n, space);
                }
                else
                {
                    (TokenKind Kind, int Length) punctuation = c switch
                    {
                        '(' => (TokenKind.LeftParen, 1),
                        ')' => (TokenKind.RightParen, 1),
                        '|' => (TokenKind.Pipe, 1),
                        ',' => (TokenKind.Comma, 1),
                        '=' => (TokenKind.Assign, 1),
                        ':' when i + 1 < action.Length && action[i + 1] == '=' => (TokenKind.Declare, 2),
                        _ => throw Error(line, $"unexpected {GoQuote.Quote(c.ToString())} in command"),
                    };
                    i += punctuation.Length;
                    token = new Token(punctuation.Kind, action[start..i], null, space);
                }

                tokens.Add(token);
                space = false;
            }

            return tokens;
        }

        private static string Unquote(string raw, int line)
        {
            var sb = new StringBuilder(raw.Length);
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != '\\')
                {
                    sb.Append(raw[i]);
                    continue;
                }

                i++;
                if (i >= raw.Length)
                {
                    throw Error(line, "unterminated quoted string");
                }

                switch (raw[i])
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'a': sb.Append('\a'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'v': sb.Append('\v'); break;
                    case '\\' or '"' or '\'': sb.Append(raw[i]); break;
                    case 'x' when i + 2 < raw.Length:
                        sb.Append((char)int.Parse(raw.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 2;
                        break;
                    case 'u' when i + 4 < raw.Length:
                        sb.Append((char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default:
                        throw Error(line, "invalid syntax");
                }
            }

            return sb.ToString();
        }

        private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

        private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';

        private static int Count(string text, int from, int to)
        {
            var n = 0;
            for (var i = from; i < to && i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    n++;
                }
            }

            return n;
        }
    }
}
