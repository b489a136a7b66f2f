namespace ResearchAgents.Providers.Offline;

/// <summary>
/// The offline writer: no model, only extraction. It reads the question from the user prompt's <c>Question:</c> line
/// (<see cref="ResearchPrompt"/>; the first line when there is none), ranks every sentence of the rest by BM25 against
/// the question, and answers with the best <see cref="MaxSentences"/> in the order they appear in the sources.
/// </summary>
public sealed class ExtractiveChatProvider : IChatProvider
{
    /// <summary>How many sentences an answer has at most.</summary>
    public const int MaxSentences = 3;

    /// <summary>The answer when no sentence shares a word with the question.</summary>
    public const string NoAnswer = "The sources found do not answer this question.";

    public string Name => "extractive";

    /// <exception cref="ArgumentException">The user prompt is empty.</exception>
    public Task<string> CompleteAsync(string systemPrompt, string userPrompt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userPrompt);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Summarise(userPrompt));
    }

    internal static string Summarise(string userPrompt)
    {
        if (!ResearchPrompt.TryReadQuestion(userPrompt, out var question, out var material))
        {
            var newline = userPrompt.IndexOf('\n', StringComparison.Ordinal);
            question = newline < 0 ? userPrompt : userPrompt[..newline];
            material = newline < 0 ? "" : userPrompt[(newline + 1)..];
        }

        // The same sentence often comes from two sources; it is said once.
        var sentences = Sentences.Of(material).Distinct(StringComparer.Ordinal).ToList();
        var chosen = new Bm25Index(sentences).Rank(question).Take(MaxSentences).Select(r => r.Index).Order().ToList();
        return chosen.Count == 0 ? NoAnswer : string.Join(' ', chosen.Select(i => sentences[i]));
    }
}
