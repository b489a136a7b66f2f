using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.GoCompat;

/// <summary>Translates Go RE2 syntax (OPA's regex dialect, Go <c>regexp/syntax</c> with Perl flags) into an
/// equivalent .NET pattern, rejecting what RE2 rejects with Go's error text.</summary>
/// <remarks>
/// Differences handled: <c>$</c> without <c>(?m)</c> is end of text only (<c>\z</c>); <c>\d \w \s</c> and
/// <c>\b</c>'s word class are ASCII; <c>(?P&lt;name&gt;</c> groups; <c>\pL</c>; <c>\x{...}</c>; <c>\Q...\E</c>; POSIX
/// <c>[[:alpha:]]</c>; the <c>U</c> (ungreedy) flag; octal escapes. Named groups become plain groups so group numbers
/// follow Go's left-to-right order (.NET numbers named groups last); names are returned separately.
/// Lookarounds, backreferences and atomic groups are errors, as in RE2.
/// </remarks>
internal sealed partial class RegexRe2Translator
{
    private const int MaxRepeat = 1000;
    private readonly string _p;
    private readonly StringBuilder _out = new();
    private readonly List<string?> _groupNames = [null];
    private readonly Stack<(bool Multiline, bool Ungreedy)> _scopes = new();
    private int _i;
    private int _largestCount;
    private bool _hasWordBoundary;
    private bool _multiline;
    private bool _ungreedy;

    // Whether the last emitted item can take a repetition operator; after a repetition, where its operator began.
    private bool _canRepeat;
    private bool _lastWasRepeat;
    private int _lastRepeatStart;

    private readonly bool _asciiBoundaries;

    private RegexRe2Translator(string pattern, bool asciiBoundaries)
    {
        _p = pattern;
        _asciiBoundaries = asciiBoundaries;
    }

    /// <summary>The .NET pattern, the group names by Go group number (index 0 is the whole match), the largest
    /// counted repetition (<c>{n,m}</c>) bound, and whether the pattern uses <c>\b</c> or <c>\B</c>. With
    /// <paramref name="asciiBoundaries"/>, word boundaries are written as ASCII lookarounds (backtracking engine only).</summary>
    public static (string Pattern, IReadOnlyList<string?> GroupNames, int LargestCount, bool HasWordBoundary) Translate(string pattern, bool asciiBoundaries = false)
    {
        var t = new RegexRe2Translator(pattern, asciiBoundaries);
        t.Run();
        return (t._out.ToString(), t._groupNames, t._largestCount, t._hasWordBoundary);
    }

    private static RegexRe2Exception Error(string code, string expr) => new($"error parsing regexp: {code}: `{expr}`");

    private void Run()
    {
        var openGroups = 0;
        while (_i < _p.Length)
        {
            var c = _p[_i];
            switch (c)
            {
                case '(':
                    if (OpenGroup())
                    {
                        openGroups++;
                    }

                    break;
                case ')':
                    if (openGroups == 0)
                    {
                        throw Error("unexpected )", _p);
                    }

                    openGroups--;
                    (_multiline, _ungreedy) = _scopes.Pop();
                    _i++;
                    _out.Append(')');
                    MarkAtom(-1);
                    break;
                case '|':
                    _i++;
                    _out.Append('|');
                    _canRepeat = false;
                    _lastWasRepeat = false;
                    break;
                case '*' or '+' or '?':
                    Repeat(1);
                    break;
                case '{':
                    if (!TryCountedRepeat())
                    {
                        _out.Append("\\{");
                        _i++;
                        MarkAtom(_i - 1);
                    }

                    break;
                case '[':
                    var classStart = _i;
                    _out.Append(ParseClass());
                    MarkAtom(classStart);
                    break;
                case '\\':
                    var escStart = _i;
                    Escape();
                    if (_i > escStart)
                    {
                        MarkAtom(escStart);
                    }

                    break;
                case '$':
                    _i++;
                    _out.Append(_multiline ? "(?m:$)" : "\\z");
                    _canRepeat = true;
                    _lastWasRepeat = false;
                    break;
                case '^':
                    _i++;
                    _out.Append(_multiline ? "(?m:^)" : "\\A");
                    _canRepeat = true;
                    _lastWasRepeat = false;
                    break;
                case '.':
                    _i++;
                    _out.Append("(?:" + AstralPair + "|.)");
                    MarkAtom(_i - 1);
                    break;
                default:
                    var r = Rune.GetRuneAt(_p, _i);
                    _out.Append(Literal(r.Value));
                    _i += r.Utf16SequenceLength;
                    MarkAtom(_i - r.Utf16SequenceLength);
                    break;
            }
        }

        if (openGroups > 0)
        {
            throw Error("missing closing )", _p);
        }
    }

    private void MarkAtom(int start)
    {
        _canRepeat = true;
        _lastWasRepeat = false;
        _lastRepeatStart = start;
    }

    // Returns false for a bare flag change "(?i)", which opens no group.
    private bool OpenGroup()
    {
        var start = _i;
        _scopes.Push((_multiline, _ungreedy));
        if (_i + 1 < _p.Length && _p[_i + 1] == '?')
        {
            var rest = _p.AsSpan(_i);
            if (rest.StartsWith("(?P<") || (rest.StartsWith("(?<") && !rest.StartsWith("(?<=") && !rest.StartsWith("(?<!")))
            {
                var nameStart = _i + (rest.StartsWith("(?P<") ? 4 : 3);
                var end = _p.IndexOf('>', nameStart);
                if (end < 0)
                {
                    throw Error("invalid named capture", _p[_i..]);
                }

                var name = _p[nameStart..end];
                if (name.Length == 0 || !IsWordName(name) || _groupNames.Contains(name))
                {
                    throw Error(_groupNames.Contains(name) ? "duplicate capture group name" : "invalid named capture", _p[_i..(end + 1)]);
                }

                _groupNames.Add(name);
                _out.Append('(');
                _i = end + 1;
                _canRepeat = false;
                return true;
            }

            // Flags: (?flags) or (?flags:re); RE2 knows i, m, s, U and one '-'.
            var j = _i + 2;
            var on = new StringBuilder();
            var off = new StringBuilder();
            var negate = false;
            var sawFlag = false;
            var multiline = _multiline;
            var ungreedy = _ungreedy;
            while (j < _p.Length)
            {
                var f = _p[j];
                if (f is ')' or ':')
                {
                    if ((negate && !sawFlag) || (f == ')' && j == _i + 2))
                    {
                        break;
                    }

                    _i = j + 1;
                    if (f == ')')
                    {
                        // (?flags) changes the flags for the rest of the enclosing group.
                        _scopes.Pop();
                        _multiline = multiline;
                        _ungreedy = ungreedy;
                        if (on.Length + off.Length > 0)
                        {
                            _out.Append("(?").Append(DotNetFlags(on, off)).Append(')');
                        }
                    }
                    else
                    {
                        _multiline = multiline;
                        _ungreedy = ungreedy;
                        _out.Append("(?").Append(DotNetFlags(on, off)).Append(':');
                    }

                    _canRepeat = false;
                    return f == ':';
                }

                switch (f)
                {
                    case 'i' or 's':
                        (negate ? off : on).Append(f);
                        sawFlag = true;
                        break;
                    case 'm':
                        multiline = !negate;
                        sawFlag = true;
                        break;
                    case 'U':
                        ungreedy = !negate;
                        sawFlag = true;
                        break;
                    case '-' when !negate:
                        negate = true;
                        sawFlag = false;
                        break;
                    default:
                        throw Error("invalid or unsupported Perl syntax", _p[start..(j + 1)]);
                }

                j++;
            }

            throw Error("invalid or unsupported Perl syntax", _p[start..Math.Min(j + 1, _p.Length)]);
        }

        _groupNames.Add(null);
        _out.Append('(');
        _i++;
        _canRepeat = false;
        return true;
    }

    // Only i and s pass to .NET; m and U are applied by the translation itself.
    private static string DotNetFlags(StringBuilder on, StringBuilder off) =>
        off.Length == 0 ? on.ToString() : on + "-" + off;

    private static bool IsWordName(string name)
    {
        foreach (var ch in name)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch == '_'))
            {
                return false;
            }
        }

        return true;
    }

    // '*', '+', '?' with an optional lazy '?'; RE2 rejects a repetition of a repetition.
    private void Repeat(int length)
    {
        var opStart = _i;
        var op = _p.Substring(_i, length);
        _i += length;
        var lazy = false;
        if (_i < _p.Length && _p[_i] == '?')
        {
            lazy = true;
            _i++;
        }

        CheckRepeatable(op, lazy);
        _out.Append(op);
        if (lazy != _ungreedy)
        {
            _out.Append('?');
        }

        _lastWasRepeat = true;
        _lastRepeatStart = opStart;
    }

    private void CheckRepeatable(string op, bool lazy)
    {
        if (_lastWasRepeat)
        {
            // Go quotes the operators from the previous repetition through this one.
            throw Error("invalid nested repetition operator", _p[_lastRepeatStart.._i]);
        }

        if (!_canRepeat)
        {
            throw Error("missing argument to repetition operator", op + (lazy ? "?" : string.Empty));
        }
    }

    private bool TryCountedRepeat()
    {
        var j = _i + 1;
        var (min, okMin) = Digits(ref j);
        if (!okMin)
        {
            return false;
        }

        var max = min;
        if (j < _p.Length && _p[j] == ',')
        {
            j++;
            if (j < _p.Length && _p[j] == '}')
            {
                max = -1;
            }
            else
            {
                (max, var okMax) = Digits(ref j);
                if (!okMax)
                {
                    return false;
                }
            }
        }

        if (j >= _p.Length || _p[j] != '}')
        {
            return false;
        }

        var opStart = _i;
        var op = _p[_i..(j + 1)];
        if (min > MaxRepeat || max > MaxRepeat || (max >= 0 && max < min))
        {
            throw Error("invalid repeat count", op);
        }

        _largestCount = Math.Max(_largestCount, Math.Max(min, max));
        _i = j + 1;
        var lazy = false;
        if (_i < _p.Length && _p[_i] == '?')
        {
            lazy = true;
            _i++;
        }

        CheckRepeatable(op, lazy);
        _out.Append(op);
        if (lazy != _ungreedy)
        {
            _out.Append('?');
        }

        _lastWasRepeat = true;
        _lastRepeatStart = opStart;
        return true;
    }

    private (int Value, bool Ok) Digits(ref int j)
    {
        var start = j;
        var n = 0;
        while (j < _p.Length && char.IsAsciiDigit(_p[j]))
        {
            n = Math.Min(n * 10 + (_p[j] - '0'), 100_000);
            j++;
        }

        return (n, j > start);
    }

    // A literal code point as .NET pattern text.
    private static string Literal(int cp)
    {
        if (cp < 0x80)
        {
            var ch = (char)cp;
            return char.IsAsciiLetterOrDigit(ch) || ch == '_' ? ch.ToString() : "\\x" + cp.ToString("x2", CultureInfo.InvariantCulture);
        }

        return cp <= 0xFFFF ? "\\u" + cp.ToString("x4", CultureInfo.InvariantCulture) : "(?:" + char.ConvertFromUtf32(cp) + ")";
    }
}

/// <summary>An RE2 pattern that does not parse, with Go's message.</summary>
internal sealed class RegexRe2Exception(string message, Exception? inner = null) : Exception(message, inner);
