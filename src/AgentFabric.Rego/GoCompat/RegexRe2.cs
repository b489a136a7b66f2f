using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentFabric.Rego.GoCompat;

/// <summary>A compiled RE2 pattern with Go's <c>regexp</c> operations (FindAll, Split, ReplaceAll with Go's
/// <c>$name</c> expansion) on top of .NET's linear-time <see cref="RegexOptions.NonBacktracking"/> engine, so a
/// policy cannot make matching take exponential time.</summary>
internal sealed class RegexRe2
{
    private const int CacheLimit = 1024;
    private static readonly ConcurrentDictionary<string, RegexRe2> Cache = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string?> _groupNames;

    private readonly bool _hasWordBoundary;
    private Regex? _asciiBoundaryRegex;

    private RegexRe2(string pattern, Regex regex, IReadOnlyList<string?> groupNames, bool hasWordBoundary)
    {
        _hasWordBoundary = hasWordBoundary;
        Pattern = pattern;
        Regex = regex;
        _groupNames = groupNames;
    }

    // Linear-time matching should never come close; the bound matters for the backtracking fallback.
    private const int LargeCount = 100;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The RE2 source.</summary>
    public string Pattern { get; }

    /// <summary>The translated .NET regex.</summary>
    public Regex Regex { get; }

    /// <summary>Compiles (or fetches from a process-wide cache) a pattern; <see cref="RegexRe2Exception"/> with Go's
    /// message when it is not valid RE2.</summary>
    public static RegexRe2 Get(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        var (translated, names, largestCount, hasWordBoundary) = RegexRe2Translator.Translate(pattern);

        // Large counted repetitions make NonBacktracking's automaton huge and slow while they are cheap for the
        // backtracking engine; everything else gets the linear-time engine, so nested quantifiers cannot blow up.
        var regex = largestCount > LargeCount ? CreateBacktracking(translated) : CreateLinear(translated);
        var compiled = new RegexRe2(pattern, regex, names, hasWordBoundary);
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache[pattern] = compiled;
        return compiled;
    }

    // Unicode and ASCII word boundaries differ only next to non-ASCII characters.
    private Regex RegexFor(string s)
    {
        if (!_hasWordBoundary || System.Text.Ascii.IsValid(s))
        {
            return Regex;
        }

        return _asciiBoundaryRegex ??= CreateBacktracking(RegexRe2Translator.Translate(Pattern, asciiBoundaries: true).Pattern);
    }

    private static Regex CreateLinear(string translated)
    {
        try
        {
            return new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (NotSupportedException)
        {
            // Valid RE2 whose automaton exceeds NonBacktracking's size limit.
            return CreateBacktracking(translated);
        }
        catch (ArgumentException e)
        {
            throw new RegexRe2Exception($"error parsing regexp: {e.Message}");
        }
    }

    private static Regex CreateBacktracking(string translated)
    {
        try
        {
            return new Regex(translated, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new RegexRe2Exception($"error parsing regexp: {e.Message}");
        }
    }

    // Only the backtracking fallback can time out; a timeout is a limit reached, never "no match".
    private RegoBuiltinException TimedOut(RegexMatchTimeoutException e) =>
        RegoBuiltinException.LimitReached($"regular expression {GoQuote.Quote(Pattern)} timed out after {e.MatchTimeout.TotalSeconds}s", e);

    public bool IsMatch(string s)
    {
        try
        {
            return RegexFor(s).IsMatch(s);
        }
        catch (RegexMatchTimeoutException e)
        {
            throw TimedOut(e);
        }
    }

    /// <summary>Go's FindAll: up to <paramref name="n"/> matches (all when negative); an empty match right after the
    /// previous match is skipped.</summary>
    public List<Match> FindAll(string s, int n)
    {
        var regex = RegexFor(s);
        var result = new List<Match>();
        var pos = 0;
        var prevEnd = -1;
        while ((n < 0 || result.Count < n) && pos <= s.Length)
        {
            Match m;
            try
            {
                m = regex.Match(s, pos);
            }
            catch (RegexMatchTimeoutException e)
            {
                throw TimedOut(e);
            }

            if (!m.Success)
            {
                break;
            }

            var accept = true;
            var end = m.Index + m.Length;
            if (m.Length == 0)
            {
                if (m.Index == prevEnd)
                {
                    accept = false;
                }

                pos = m.Index + (m.Index < s.Length && char.IsSurrogatePair(s, m.Index) ? 2 : 1);
            }
            else
            {
                pos = end;
            }

            prevEnd = end;
            if (accept)
            {
                result.Add(m);
            }
        }

        return result;
    }

    /// <summary>Go's <c>Regexp.Split(s, -1)</c>.</summary>
    public List<string> Split(string s)
    {
        if (Pattern.Length > 0 && s.Length == 0)
        {
            return [string.Empty];
        }

        var parts = new List<string>();
        var beg = 0;
        var end = 0;
        foreach (var m in FindAll(s, -1))
        {
            end = m.Index;
            if (m.Index + m.Length != 0)
            {
                parts.Add(s[beg..end]);
            }

            beg = m.Index + m.Length;
        }

        if (end != s.Length)
        {
            parts.Add(s[beg..]);
        }

        return parts;
    }

    /// <summary>Go's <c>ReplaceAllString</c>: <c>$1</c>, <c>${1}</c>, <c>$name</c>, <c>${name}</c> and <c>$$</c>; a
    /// name is the longest run of letters, digits and underscores, so <c>$1x</c> means the group named "1x".</summary>
    public string ReplaceAll(string s, string template)
    {
        var sb = new StringBuilder();
        var last = 0;
        foreach (var m in FindAll(s, -1))
        {
            sb.Append(s, last, m.Index - last);
            Expand(sb, template, m);
            last = m.Index + m.Length;
        }

        return sb.Append(s, last, s.Length - last).ToString();
    }

    private void Expand(StringBuilder sb, string template, Match m)
    {
        var i = 0;
        while (i < template.Length)
        {
            var dollar = template.IndexOf('$', i);
            if (dollar < 0)
            {
                sb.Append(template, i, template.Length - i);
                return;
            }

            sb.Append(template, i, dollar - i);
            i = dollar + 1;
            if (i < template.Length && template[i] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }

            string? name = null;
            if (i < template.Length && template[i] == '{')
            {
                var close = template.IndexOf('}', i);
                if (close > i + 1 && IsName(template.AsSpan(i + 1, close - i - 1)))
                {
                    name = template[(i + 1)..close];
                    i = close + 1;
                }
            }
            else
            {
                var j = i;
                while (j < template.Length && (char.IsAsciiLetterOrDigit(template[j]) || template[j] == '_'))
                {
                    j++;
                }

                if (j > i)
                {
                    name = template[i..j];
                    i = j;
                }
            }

            if (name is null)
            {
                sb.Append('$'); // not a valid reference: the '$' stays literal
                continue;
            }

            var group = GroupNumber(name);
            if (group >= 0 && group < m.Groups.Count && m.Groups[group].Success)
            {
                sb.Append(m.Groups[group].Value);
            }
        }
    }

    private static bool IsName(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private int GroupNumber(string name)
    {
        var numeric = true;
        var n = 0;
        foreach (var c in name)
        {
            if (!char.IsAsciiDigit(c))
            {
                numeric = false;
                break;
            }

            n = n > 100_000 ? n : n * 10 + (c - '0');
        }

        if (numeric)
        {
            return n;
        }

        for (var g = 1; g < _groupNames.Count; g++)
        {
            if (_groupNames[g] == name)
            {
                return g;
            }
        }

        return -1;
    }
}
