namespace ResearchAgents.Providers.Offline;

/// <summary>Turns text into index terms: lower-case runs of letters and digits, without common English words and
/// with a light plural folding (tokens → token), so a question and a document meet on the same words.</summary>
internal static class TextTerms
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "if", "in",
        "is", "it", "its", "not", "of", "on", "or", "so", "such", "that", "the", "then", "there", "these", "this",
        "to", "too", "us", "was", "we", "what", "when", "where", "which", "who", "why", "will", "with", "you", "your",
    };

    public static List<string> Of(string text)
    {
        var terms = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = text[start..i].ToLowerInvariant();
                start = -1;
                if (!StopWords.Contains(word))
                {
                    terms.Add(Fold(word));
                }
            }
        }

        return terms;
    }

    // "tokens" and "token" are one term; "ss" endings (access, class) and short words stay as they are.
    private static string Fold(string word) =>
        word.Length > 3 && word[^1] == 's' && word[^2] != 's' ? word[..^1] : word;
}
