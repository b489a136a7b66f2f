using System.Text;

namespace AgentFabric.Rego.GoCompat;

/// <summary>Go's <c>strings</c> package semantics over .NET strings: OPA's string builtins work on UTF-8 code points
/// (runes), so empty separators split between code points and cut sets are sets of code points.</summary>
internal static class StringsText
{
    public static int[] Runes(string s)
    {
        var result = new List<int>(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            result.Add(r.Value);
        }

        return [.. result];
    }

    public static string FromRunes(ReadOnlySpan<int> runes)
    {
        var sb = new StringBuilder(runes.Length);
        foreach (var r in runes)
        {
            sb.Append(new Rune(r).ToString());
        }

        return sb.ToString();
    }

    public static int RuneCount(ReadOnlySpan<char> s)
    {
        var n = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            n++;
        }

        return n;
    }

    // Go's strings.ToLower/ToUpper map each code point by Unicode case mapping, independent of culture.
    public static string Lower(string s) => s.ToLowerInvariant();

    public static string Upper(string s) => s.ToUpperInvariant();

    /// <summary>Go's <c>strings.Split</c>: an empty separator splits into code points; an empty string with a
    /// non-empty separator gives one empty part.</summary>
    public static List<string> Split(string s, string separator)
    {
        if (separator.Length == 0)
        {
            var parts = new List<string>();
            foreach (var r in s.EnumerateRunes())
            {
                parts.Add(r.ToString());
            }

            return parts;
        }

        return [.. s.Split(separator, StringSplitOptions.None)];
    }

    /// <summary>Go's <c>strings.ReplaceAll</c>: an empty <paramref name="old"/> inserts <paramref name="replacement"/>
    /// before every code point and at the end.</summary>
    public static string ReplaceAll(string s, string old, string replacement)
    {
        if (old.Length != 0)
        {
            return s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var sb = new StringBuilder(s.Length * (replacement.Length + 1) + replacement.Length);
        foreach (var r in s.EnumerateRunes())
        {
            sb.Append(replacement).Append(r.ToString());
        }

        return sb.Append(replacement).ToString();
    }

    /// <summary>Go's <c>strings.NewReplacer(old1, new1, ...).Replace(s)</c>: scanning left to right, at each position
    /// the first pair (in the given order) whose old string matches is replaced, without overlapping; an empty old
    /// string matches at every position, including the end.</summary>
    public static string ReplaceMany(string s, List<(string Old, string New)> pairs)
    {
        if (pairs.Count == 0)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        var i = 0;
        var previousMatchEmpty = false;
        while (true)
        {
            // After an empty match the empty key is ignored once, so a longer key may still match here.
            var found = -1;
            for (var k = 0; k < pairs.Count; k++)
            {
                var old = pairs[k].Old;
                if (old.Length == 0 && previousMatchEmpty)
                {
                    continue;
                }

                if (i + old.Length <= s.Length && string.CompareOrdinal(s, i, old, 0, old.Length) == 0)
                {
                    found = k;
                    break;
                }
            }

            previousMatchEmpty = found >= 0 && pairs[found].Old.Length == 0;
            if (found >= 0)
            {
                sb.Append(pairs[found].New);
                i += pairs[found].Old.Length;
                continue;
            }

            if (i >= s.Length)
            {
                break;
            }

            var step = char.IsSurrogatePair(s, i) ? 2 : 1;
            sb.Append(s, i, step);
            i += step;
        }

        return sb.ToString();
    }

    public static string TrimLeft(string s, string cutset)
    {
        var cut = CutSet(cutset);
        var i = 0;
        while (i < s.Length)
        {
            var r = Rune.GetRuneAt(s, i);
            if (!cut.Contains(r.Value))
            {
                break;
            }

            i += r.Utf16SequenceLength;
        }

        return s[i..];
    }

    public static string TrimRight(string s, string cutset)
    {
        var cut = CutSet(cutset);
        var end = s.Length;
        while (end > 0)
        {
            var start = end - 1;
            if (start > 0 && char.IsLowSurrogate(s[start]) && char.IsHighSurrogate(s[start - 1]))
            {
                start--;
            }

            if (!cut.Contains(Rune.GetRuneAt(s, start).Value))
            {
                break;
            }

            end = start;
        }

        return s[..end];
    }

    private static HashSet<int> CutSet(string cutset)
    {
        var set = new HashSet<int>();
        foreach (var r in cutset.EnumerateRunes())
        {
            set.Add(r.Value);
        }

        return set;
    }

    // Go's unicode.IsSpace is the Unicode White_Space property, as char.IsWhiteSpace.
    public static string TrimSpace(string s) => s.Trim();

    public static string Reverse(string s)
    {
        var runes = Runes(s);
        Array.Reverse(runes);
        return FromRunes(runes);
    }

    /// <summary>Go's <c>strings.Count</c>: non-overlapping occurrences; an empty substring counts code points + 1.</summary>
    public static int Count(string s, string sub)
    {
        if (sub.Length == 0)
        {
            return RuneCount(s) + 1;
        }

        var n = 0;
        var i = 0;
        while ((i = s.IndexOf(sub, i, StringComparison.Ordinal)) >= 0)
        {
            n++;
            i += sub.Length;
        }

        return n;
    }
}
