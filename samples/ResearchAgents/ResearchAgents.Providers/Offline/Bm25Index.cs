namespace ResearchAgents.Providers.Offline;

/// <summary>
/// Okapi BM25 over a fixed set of texts: score(D, Q) = Σ over query terms q of
/// IDF(q) · f(q, D) · (k1 + 1) / (f(q, D) + k1 · (1 − b + b · |D| / avgdl)), with IDF(q) = ln(1 + (N − n(q) + 0.5) / (n(q) + 0.5)).
/// k1 = 1.2 and b = 0.75, the usual defaults.
/// </summary>
internal sealed class Bm25Index
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly List<Dictionary<string, int>> _frequencies = [];
    private readonly List<int> _lengths = [];
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    public Bm25Index(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            var terms = TextTerms.Of(text);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var term in terms)
            {
                counts[term] = counts.GetValueOrDefault(term) + 1;
            }

            foreach (var term in counts.Keys)
            {
                _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
            }

            _frequencies.Add(counts);
            _lengths.Add(terms.Count);
        }

        _averageLength = _lengths.Count == 0 ? 0 : _lengths.Average();
    }

    public int Count => _lengths.Count;

    /// <summary>The score of every text for <paramref name="query"/>, in the order the texts were given.</summary>
    public double[] Score(string query)
    {
        var queryTerms = TextTerms.Of(query).Distinct(StringComparer.Ordinal).ToList();
        var scores = new double[Count];
        foreach (var term in queryTerms)
        {
            if (!_documentFrequency.TryGetValue(term, out var n))
            {
                continue;
            }

            var idf = Math.Log(1 + ((Count - n + 0.5) / (n + 0.5)));
            for (var d = 0; d < Count; d++)
            {
                if (_frequencies[d].TryGetValue(term, out var f))
                {
                    var norm = K1 * (1 - B + (B * _lengths[d] / _averageLength));
                    scores[d] += idf * f * (K1 + 1) / (f + norm);
                }
            }
        }

        return scores;
    }

    /// <summary>The indexes of the texts that share a term with the query, best first (ties keep their order).</summary>
    public IReadOnlyList<(int Index, double Score)> Rank(string query) =>
        Score(query).Select((s, i) => (Index: i, Score: s)).Where(r => r.Score > 0).OrderByDescending(r => r.Score).ThenBy(r => r.Index).ToList();
}
