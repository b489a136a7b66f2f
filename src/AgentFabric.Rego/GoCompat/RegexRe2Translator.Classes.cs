using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.GoCompat;

internal sealed partial class RegexRe2Translator
{
    private const string AstralPair = "[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]";
    private const string AsciiBoundary = "(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))";
    private const string AsciiNonBoundary = "(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))";

    // RE2's Perl classes are ASCII-only (Go regexp/syntax perl_groups).
    private static readonly (int Lo, int Hi)[] Digit = [('0', '9')];
    private static readonly (int Lo, int Hi)[] Space = [('\t', '\n'), ('\f', '\r'), (' ', ' ')];
    private static readonly (int Lo, int Hi)[] Word = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

    private static readonly Dictionary<string, (int Lo, int Hi)[]> Posix = new(StringComparer.Ordinal)
    {
        ["alnum"] = [('0', '9'), ('A', 'Z'), ('a', 'z')],
        ["alpha"] = [('A', 'Z'), ('a', 'z')],
        ["ascii"] = [(0, 0x7F)],
        ["blank"] = [('\t', '\t'), (' ', ' ')],
        ["cntrl"] = [(0, 0x1F), (0x7F, 0x7F)],
        ["digit"] = [('0', '9')],
        ["graph"] = [('!', '~')],
        ["lower"] = [('a', 'z')],
        ["print"] = [(' ', '~')],
        ["punct"] = [('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        ["space"] = [('\t', '\r'), (' ', ' ')],
        ["upper"] = [('A', 'Z')],
        ["word"] = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')],
        ["xdigit"] = [('0', '9'), ('A', 'F'), ('a', 'f')],
    };

    // Go's \pX / \p{Name}: general categories, plus "Any".
    private static readonly HashSet<string> Categories = new(StringComparer.Ordinal)
    {
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe",
        "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co", "Cs",
    };

    /// <summary>An escape outside a class, at <c>_i</c> (the backslash).</summary>
    private void Escape()
    {
        if (_i + 1 >= _p.Length)
        {
            throw Error("trailing backslash at end of expression", string.Empty);
        }

        var c = _p[_i + 1];
        switch (c)
        {
            case 'A':
                _out.Append("\\A");
                _i += 2;
                _canRepeat = true;
                return;
            case 'z':
                _out.Append("\\z");
                _i += 2;
                _canRepeat = true;
                return;
            case 'b' or 'B':
                // RE2's word boundary is ASCII-only; .NET's \b is Unicode. They agree on ASCII text, so the
                // lookaround form is only used (by the backtracking engine) for non-ASCII input.
                _hasWordBoundary = true;
                _out.Append(!_asciiBoundaries ? (c == 'b' ? "\\b" : "\\B") : c == 'b' ? AsciiBoundary : AsciiNonBoundary);
                _i += 2;
                _canRepeat = true;
                return;
            case 'Q':
                var end = _p.IndexOf("\\E", _i + 2, StringComparison.Ordinal);
                var literal = end < 0 ? _p[(_i + 2)..] : _p[(_i + 2)..end];
                _i = end < 0 ? _p.Length : end + 2;
                foreach (var r in literal.EnumerateRunes())
                {
                    _out.Append(Literal(r.Value));
                }

                if (literal.Length == 0)
                {
                    _canRepeat = false;
                }

                return;
            case 'C':
                _out.Append("(?s:.)");
                _i += 2;
                return;
        }

        var item = ClassEscape();
        if (item.Fragment is not null || item.Ranges is not null)
        {
            _out.Append(EmitClass(item.Ranges ?? [], item.Fragment is null ? [] : [item.Fragment], item.Negated));
        }
        else
        {
            _out.Append(Literal(item.Rune));
        }
    }

    /// <summary>An escape that denotes a code point or a class (usable inside and outside brackets).</summary>
    private (int Rune, (int Lo, int Hi)[]? Ranges, string? Fragment, bool Negated) ClassEscape()
    {
        var start = _i;
        if (_i + 1 >= _p.Length)
        {
            throw Error("trailing backslash at end of expression", string.Empty);
        }

        var c = _p[_i + 1];
        _i += 2;
        switch (c)
        {
            case 'd': return (0, Digit, null, false);
            case 'D': return (0, Digit, null, true);
            case 's': return (0, Space, null, false);
            case 'S': return (0, Space, null, true);
            case 'w': return (0, Word, null, false);
            case 'W': return (0, Word, null, true);
            case 'a': return (7, null, null, false);
            case 'f': return ('\f', null, null, false);
            case 'n': return ('\n', null, null, false);
            case 'r': return ('\r', null, null, false);
            case 't': return ('\t', null, null, false);
            case 'v': return ('\v', null, null, false);
            case 'p' or 'P':
                return UnicodeClass(start, c == 'P');
            case 'x':
                return (HexEscape(start), null, null, false);
            case >= '1' and <= '7' when _i >= _p.Length || _p[_i] < '0' || _p[_i] > '7':
                // A lone \1..\7 is a backreference, which RE2 does not support.
                throw Error("invalid escape sequence", _p[start.._i]);
            case >= '0' and <= '7':
                var value = c - '0';
                for (var k = 0; k < 2 && _i < _p.Length && _p[_i] is >= '0' and <= '7'; k++)
                {
                    value = value * 8 + (_p[_i++] - '0');
                }

                return (value, null, null, false);
        }

        if (c < 0x80 && !char.IsAsciiLetterOrDigit(c))
        {
            return (c, null, null, false);
        }

        var r = Rune.GetRuneAt(_p, start + 1);
        _i = start + 1 + r.Utf16SequenceLength;
        throw Error("invalid escape sequence", _p[start.._i]);
    }

    private int HexEscape(int start)
    {
        if (_i < _p.Length && _p[_i] == '{')
        {
            var end = _p.IndexOf('}', _i);
            if (end < 0 || end == _i + 1 || !int.TryParse(_p.AsSpan(_i + 1, end - _i - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) || v > 0x10FFFF)
            {
                _i = end < 0 ? _p.Length : end + 1;
                throw Error("invalid escape sequence", _p[start.._i]);
            }

            _i = end + 1;
            return v;
        }

        if (_i + 2 > _p.Length || !int.TryParse(_p.AsSpan(_i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
        {
            _i = Math.Min(_i + 2, _p.Length);
            throw Error("invalid escape sequence", _p[start.._i]);
        }

        _i += 2;
        return b;
    }

    private (int Rune, (int Lo, int Hi)[]? Ranges, string? Fragment, bool Negated) UnicodeClass(int start, bool negated)
    {
        string name;
        if (_i < _p.Length && _p[_i] == '{')
        {
            var end = _p.IndexOf('}', _i);
            if (end < 0)
            {
                throw Error("invalid character class range", _p[start..]);
            }

            name = _p[(_i + 1)..end];
            _i = end + 1;
        }
        else if (_i < _p.Length)
        {
            name = _p[_i].ToString();
            _i++;
        }
        else
        {
            throw Error("invalid character class range", _p[start..]);
        }

        if (name.StartsWith('^'))
        {
            negated = !negated;
            name = name[1..];
        }

        if (name == "Any")
        {
            return (0, [(0, 0x10FFFF)], null, negated);
        }

        if (Categories.Contains(name))
        {
            return (0, null, "\\p{" + name + "}", negated);
        }

        // Scripts (Greek, Cyrillic...) exist in .NET only as blocks of the same name.
        try
        {
            _ = new System.Text.RegularExpressions.Regex("\\p{Is" + name + "}", System.Text.RegularExpressions.RegexOptions.None);
            return (0, null, "\\p{Is" + name + "}", negated);
        }
        catch (ArgumentException)
        {
            throw Error("invalid character class range", _p[start.._i]);
        }
    }

    /// <summary>A bracketed class at <c>_i</c>, as .NET text.</summary>
    private string ParseClass()
    {
        var start = _i;
        _i++;
        var negate = false;
        if (_i < _p.Length && _p[_i] == '^')
        {
            negate = true;
            _i++;
        }

        var ranges = new List<(int Lo, int Hi)>();
        var fragments = new List<string>();
        var first = true;
        while (true)
        {
            if (_i >= _p.Length)
            {
                throw Error("missing closing ]", _p[start..]);
            }

            var c = _p[_i];
            if (c == ']' && !first)
            {
                _i++;
                break;
            }

            first = false;
            if (c == '[' && _i + 1 < _p.Length && _p[_i + 1] == ':')
            {
                var end = _p.IndexOf(":]", _i + 2, StringComparison.Ordinal);
                if (end > 0)
                {
                    var name = _p[(_i + 2)..end];
                    var neg = name.StartsWith('^');
                    if (!Posix.TryGetValue(neg ? name[1..] : name, out var posix))
                    {
                        throw Error("invalid character class range", _p[_i..(end + 2)]);
                    }

                    ranges.AddRange(neg ? Complement(posix) : posix);
                    _i = end + 2;
                    continue;
                }
            }

            var itemStart = _i;
            var lo = ClassAtom(out var classRanges, out var fragment, out var classNegated);
            if (classRanges is not null || fragment is not null)
            {
                if (fragment is not null)
                {
                    fragments.Add(classNegated ? "\\P" + fragment[2..] : fragment);
                }
                else
                {
                    ranges.AddRange(classNegated ? Complement(classRanges!) : classRanges!);
                }

                continue;
            }

            if (_i + 1 < _p.Length && _p[_i] == '-' && _p[_i + 1] != ']')
            {
                _i++;
                var hi = ClassAtom(out var r2, out var f2, out _);
                if (r2 is not null || f2 is not null || hi < lo)
                {
                    throw Error("invalid character class range", _p[itemStart.._i]);
                }

                ranges.Add((lo, hi));
            }
            else
            {
                ranges.Add((lo, lo));
            }
        }

        return EmitClass(ranges, fragments, negate);
    }

    private int ClassAtom(out (int Lo, int Hi)[]? ranges, out string? fragment, out bool negated)
    {
        if (_p[_i] == '\\')
        {
            var e = ClassEscape();
            ranges = e.Ranges;
            fragment = e.Fragment;
            negated = e.Negated;
            return e.Rune;
        }

        ranges = null;
        fragment = null;
        negated = false;
        var r = Rune.GetRuneAt(_p, _i);
        _i += r.Utf16SequenceLength;
        return r.Value;
    }
}
