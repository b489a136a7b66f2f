using System.Globalization;
using Spectre.Console;

namespace AgentFabric.Cli.Up;

/// <summary>The start-up on a terminal: one Spectre.Console progress row per child, spinning until it is ready.</summary>
internal sealed class LiveUpProgress(ProgressContext context) : IUpProgress
{
    private readonly Dictionary<string, ProgressTask> _rows = new(StringComparer.Ordinal);

    public void Starting(string child) => Row(child).Description = Text(child, "starting…");

    public void Note(string child, string text) => Row(child).Description = Text(child, text);

    public void Ready(string child, TimeSpan took, string url)
    {
        var row = Row(child);
        row.Description = Text(child, string.Create(CultureInfo.InvariantCulture, $"ready in {took.TotalSeconds:F1} s  {url}"));
        row.IsIndeterminate = false;
        row.Value = row.MaxValue;
        row.StopTask();
    }

    public void Skipped(string child, string reason)
    {
        var row = Row(child);
        row.Description = Text(child, reason + " — skipped");
        row.IsIndeterminate = false;
        row.Value = row.MaxValue;
        row.StopTask();
    }

    public void Failed(string child, string reason)
    {
        var row = Row(child);
        row.Description = Text(child, "failed: " + reason);
        row.StopTask();
    }

    // Names and messages are text, never markup (a path may hold '[').
    private static string Text(string child, string text) => Markup.Escape($"{child,-10} {text}");

    private ProgressTask Row(string child)
    {
        if (!_rows.TryGetValue(child, out var row))
        {
            row = context.AddTask(Text(child, "waiting"), autoStart: true);
            row.IsIndeterminate = true;
            _rows[child] = row;
        }

        return row;
    }
}
