using System.Globalization;

namespace AgentFabric.Cli.Up;

/// <summary>The start-up as one line per step, for output that is not a terminal (a log, a test, CI).</summary>
internal sealed class PlainUpProgress(TextWriter output) : IUpProgress
{
    public void Starting(string child) => output.WriteLine($"{child}: starting");

    public void Note(string child, string text) => output.WriteLine($"{child}: {text}");

    public void Ready(string child, TimeSpan took, string url) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{child}: ready in {took.TotalSeconds:F1} s ({url})"));

    public void Skipped(string child, string reason) => output.WriteLine($"{child}: {reason} — skipped");

    public void Failed(string child, string reason) => output.WriteLine($"{child}: failed: {reason}");
}
