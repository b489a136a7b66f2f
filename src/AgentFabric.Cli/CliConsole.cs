using System.CommandLine;
using Google.Protobuf;
using Spectre.Console;

namespace AgentFabric.Cli;

/// <summary>Where a command writes: results on <see cref="Out"/>, failures on <see cref="Error"/>. Commands receive
/// it (from the <see cref="ParseResult"/>'s invocation configuration, so tests run them against string writers) and
/// never write to <see cref="System.Console"/> themselves.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    private static readonly JsonFormatter s_json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    /// <summary>Standard output: tables, JSON documents, result lines.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Standard error: one failure message per command.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>The writers a parse was invoked with (<see cref="System.Console"/>'s unless the caller chose others).</summary>
    public static CliConsole From(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new CliConsole(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
    }

    /// <summary>Prints a message as indented proto3 JSON with default values, for <c>-output json</c>.</summary>
    public void WriteJson(IMessage message) => Out.WriteLine(s_json.Format(message));

    /// <summary>Prints a table (see <see cref="CliTable"/>) without colour or interaction.</summary>
    public void WriteTable(Table table)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Interactive = InteractionSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Write(table);
    }
}
