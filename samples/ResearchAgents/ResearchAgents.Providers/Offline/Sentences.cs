namespace ResearchAgents.Providers.Offline;

/// <summary>Splits prose into sentences: a sentence ends at '.', '!' or '?' followed by white space or the end, and
/// at a blank line. Lines that look like headings or source labels ("[1] Title (url)") are left out.</summary>
internal static class Sentences
{
    public static List<string> Of(string text)
    {
        var sentences = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = paragraph.Trim();
            if (line.Length == 0 || line.StartsWith('[') || line.StartsWith('#') || line.EndsWith(':'))
            {
                continue;
            }

            var start = 0;
            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] is '.' or '!' or '?' && (i + 1 == line.Length || char.IsWhiteSpace(line[i + 1])))
                {
                    Add(sentences, line[start..(i + 1)]);
                    start = i + 1;
                }
            }

            Add(sentences, line[start..]);
        }

        return sentences;
    }

    private static void Add(List<string> sentences, string candidate)
    {
        var sentence = candidate.Trim();
        if (sentence.Length > 0)
        {
            sentences.Add(sentence);
        }
    }
}
