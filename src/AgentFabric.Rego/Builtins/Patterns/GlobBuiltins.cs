using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Patterns;

internal static class GlobBuiltins
{
    private static readonly ConcurrentDictionary<(string Pattern, string Delimiters), Regex> GlobCache = new();
    private static readonly System.Buffers.SearchValues<char> GlobMetacharacters = System.Buffers.SearchValues.Create("*?[{\\");

    internal static void Register(BuiltinRegistry r)
    {
        r.Register("glob.match", [RegoType.String, RegoType.AnyOf(RegoType.Null, RegoType.ArrayOf(RegoType.String)), RegoType.String], RegoType.Boolean, GlobMatch);
        r.Register("glob.quote_meta", [RegoType.String], RegoType.String, static (_, a) =>
        {
            var s = BuiltinArgs.String(a, 0);
            var sb = new StringBuilder(s.Length);
            foreach (var c in s)
            {
                if (c is '*' or '?' or '\\' or '[' or ']' or '{' or '}')
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }

            return StringValue.Create(sb.ToString());
        });
    }

    // Delimiters: null means none; an empty array means the default '.'; otherwise single-character strings.
    private static Value GlobMatch(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var pattern = BuiltinArgs.String(a, 0);
        var delimiters = new StringBuilder();
        switch (a[1])
        {
            case NullValue:
                break;
            case ArrayValue arr:
                foreach (var d in arr)
                {
                    if (d is not StringValue s)
                    {
                        throw CollectionOperandErrors.Element(1, arr, d, "string");
                    }

                    if (StringsText.RuneCount(s.Value) != 1)
                    {
                        throw CollectionOperandErrors.Element(1, arr, d, "rune");
                    }

                    delimiters.Append(s.Value);
                }

                if (arr.Count == 0)
                {
                    delimiters.Append('.');
                }

                break;
            default:
                throw BuiltinArgs.TypeMismatch(1, a[1], "array", "null");
        }

        var match = BuiltinArgs.String(a, 2);
        if (pattern.AsSpan().IndexOfAny(GlobMetacharacters) < 0)
        {
            // No wildcard, class, alternative or escape: the glob matches exactly its own text (policies pass whole
            // SPIFFE IDs as patterns), with no regex to build.
            return BooleanValue.Create(string.Equals(pattern, match, StringComparison.Ordinal));
        }

        var key = (pattern, delimiters.ToString());
        if (!GlobCache.TryGetValue(key, out var regex))
        {
            string translated;
            try
            {
                translated = GlobPattern.ToRegex(pattern, key.Item2);
            }
            catch (GlobPatternException e)
            {
                throw new RegoBuiltinException(e.Message, e);
            }

            regex = new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline);
            if (GlobCache.Count > 1024)
            {
                GlobCache.Clear();
            }

            GlobCache[key] = regex;
        }

        return BooleanValue.Create(regex.IsMatch(match));
    }
}
