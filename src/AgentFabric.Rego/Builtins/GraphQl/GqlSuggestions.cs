namespace AgentFabric.Rego.Builtins.GraphQl;

/// <summary>"Did you mean" hints for validation messages: the valid names close to a misspelt one (edit distance at
/// most 40 % of its length plus one, a change of case alone counting as one edit), closest first.</summary>
internal static class GqlSuggestions
{
    public static List<string> Closest(string input, IEnumerable<string> options)
    {
        var threshold = Math.Max((int)Math.Floor(input.Length * 0.4) + 1, 1);
        return options
            .Select(o => (Option: o, Distance: Distance(input, o)))
            .Where(x => x.Distance <= threshold)
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Option, StringComparer.Ordinal)
            .Select(x => x.Option)
            .ToList();
    }

    /// <summary>The message suffix <c> Did you mean "a" or "b"?</c>, or "" without suggestions.</summary>
    public static string Hint(string prefix, string input, IEnumerable<string> options, bool quoted = true)
    {
        var list = Closest(input, options);
        return list.Count == 0 ? "" : $" {prefix} {OrList(list.Select(s => quoted ? "\"" + s + "\"" : s).ToList())}?";
    }

    /// <summary>At most five items joined as "a, b, or c" ("a or b" for two).</summary>
    public static string OrList(List<string> items)
    {
        if (items.Count > 5)
        {
            items = items[..5];
        }

        if (items.Count == 2)
        {
            return items[0] + " or " + items[1];
        }

        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(i == items.Count - 1 ? ", or " : ", ");
            }

            sb.Append(items[i]);
        }

        return sb.ToString();
    }

    private static int Distance(string a, string b)
    {
        if (a == b)
        {
            return 0;
        }

        var la = a.ToLowerInvariant();
        var lb = b.ToLowerInvariant();
        if (la == lb)
        {
            return 1;
        }

        // Levenshtein distance over code points.
        var x = la.EnumerateRunes().ToArray();
        var y = lb.EnumerateRunes().ToArray();
        var prev = new int[y.Length + 1];
        var cur = new int[y.Length + 1];
        for (var j = 0; j <= y.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= x.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= y.Length; j++)
            {
                var cost = x[i - 1] == y[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }

            (prev, cur) = (cur, prev);
        }

        return prev[y.Length];
    }
}
