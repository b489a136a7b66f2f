using System.Text;

namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>Appends each event as one JSON line to a file (created if missing).</summary>
public sealed class FileDecisionLogSink : IDecisionLogSink
{
    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>A sink appending to <paramref name="path"/>.</summary>
    public FileDecisionLogSink(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public async Task WriteAsync(IReadOnlyList<string> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var text = new StringBuilder();
        foreach (var e in events)
        {
            text.Append(e).Append('\n');
        }

        await File.AppendAllTextAsync(Path, text.ToString(), Utf8, cancellationToken).ConfigureAwait(false);
    }
}
