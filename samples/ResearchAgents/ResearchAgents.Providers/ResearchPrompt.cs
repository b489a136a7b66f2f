using System.Text;

namespace ResearchAgents.Providers;

/// <summary>
/// The writer's prompt to a chat provider: a fixed system instruction and a user message that starts with the
/// question on a <c>Question:</c> line, followed by the numbered sources. Every chat provider gets the same text; the
/// extractive one reads the question back with <see cref="TryReadQuestion"/>.
/// </summary>
public static class ResearchPrompt
{
    /// <summary>The label of the question line.</summary>
    public const string QuestionLabel = "Question:";

    /// <summary>The system instruction.</summary>
    public const string System =
        "You are a research writer. Answer the question in a short paragraph using only the numbered sources. " +
        "Say so when the sources do not answer it.";

    /// <summary>The user message for <paramref name="question"/> over <paramref name="sources"/>.</summary>
    /// <exception cref="ArgumentException">The question is empty or spans several lines.</exception>
    public static string User(string question, IReadOnlyList<SearchResult> sources)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(sources);
        var trimmed = question.Trim();
        if (trimmed.Length == 0 || trimmed.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("research prompt: the question must be one non-empty line", nameof(question));
        }

        var text = new StringBuilder().Append(QuestionLabel).Append(' ').Append(trimmed).Append("\n\nSources:\n");
        for (var i = 0; i < sources.Count; i++)
        {
            text.Append('[').Append(i + 1).Append("] ").Append(sources[i].Title).Append(" (").Append(sources[i].Url).Append(")\n")
                .Append(sources[i].Content.Trim()).Append("\n\n");
        }

        return text.ToString();
    }

    /// <summary>Splits a user message into its question and the rest; false when it has no <c>Question:</c> line.</summary>
    public static bool TryReadQuestion(string userPrompt, out string question, out string material)
    {
        question = "";
        material = "";
        if (string.IsNullOrEmpty(userPrompt))
        {
            return false;
        }

        var lines = userPrompt.Split('\n');
        var index = Array.FindIndex(lines, l => l.TrimStart().StartsWith(QuestionLabel, StringComparison.Ordinal));
        if (index < 0)
        {
            return false;
        }

        question = lines[index].TrimStart()[QuestionLabel.Length..].Trim();
        material = string.Join('\n', lines.Where((_, i) => i != index));
        return question.Length > 0;
    }
}
