namespace AgentFabric.Cli;

/// <summary>
/// How one family of commands words a failure on standard error, as the tool it imitates does: the text put before
/// every message (<c>spire-server</c>'s <c>Error: </c>, <c>spire-agent api</c>'s <c>error: </c>, nothing for
/// <c>opa</c>), and which exceptions of the family's work are failures to report rather than bugs, with the message
/// each one reads as. A <see cref="CliException"/> is always a failure to report; any other exception the style does
/// not describe is a bug and reaches System.CommandLine's handler.
/// </summary>
internal sealed class ErrorStyle(string prefix, Func<Exception, string?>? describe = null)
{
    /// <summary>The text before every message.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>The message reported for an exception; <see langword="null"/> when it is not a failure to report.</summary>
    public string? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is CliException ? exception.Message : describe?.Invoke(exception);
    }

    /// <summary>Writes <c>prefix + message</c> on the console's error writer and returns the exit code: the
    /// <see cref="CliException"/>'s, 1 for any other reported failure.</summary>
    public int Report(CliConsole console, Exception exception, string message)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Error.WriteLine(Prefix + message);
        return exception is CliException e ? e.ExitCode : 1;
    }
}
