using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego;

/// <summary>One expression of a query, as <c>opa eval</c> reports it: its source text and where it starts.</summary>
public sealed record QueryExpression(string Text, Location Location)
{
    // Each expression's text runs from its start to the next expression's start, less separators (';', newlines).
    internal static IReadOnlyList<QueryExpression> Split(string query, IReadOnlyList<Expr> exprs)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < query.Length; i++)
        {
            if (query[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var starts = new int[exprs.Count];
        var locations = new Location[exprs.Count];
        for (var i = 0; i < exprs.Count; i++)
        {
            var l = exprs[i].Location;
            var start = Math.Min(query.Length, lineStarts[Math.Clamp(l.Line - 1, 0, lineStarts.Count - 1)] + l.Column - 1);
            var lowerBound = i == 0 ? 0 : starts[i - 1] + 1;
            if (exprs[i].Negated && start >= 3 && query.LastIndexOf("not", start - 1, StringComparison.Ordinal) is var n && n >= lowerBound)
            {
                // A negated literal's location is its expression's; its text starts at `not`.
                start = n;
                var line = query.AsSpan(0, n).Count('\n');
                l = l with { Line = line + 1, Column = n - lineStarts[line] + 1 };
            }

            starts[i] = start;
            locations[i] = l;
        }

        var result = new QueryExpression[exprs.Count];
        for (var i = 0; i < exprs.Count; i++)
        {
            var end = i + 1 < exprs.Count ? starts[i + 1] : query.Length;
            var text = query[starts[i]..Math.Max(starts[i], end)].TrimEnd().TrimEnd(';').TrimEnd();
            result[i] = new QueryExpression(text, locations[i]);
        }

        return result;
    }
}
