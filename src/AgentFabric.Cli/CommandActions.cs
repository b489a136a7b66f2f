using System.CommandLine;

namespace AgentFabric.Cli;

/// <summary>The one place a command's failures are caught: a body gets the parse and a <see cref="CliConsole"/>,
/// returns its exit code, and throws <see cref="CliException"/> (or an exception its <see cref="ErrorStyle"/>
/// describes) to fail; the style prints the message on standard error and picks the exit code.</summary>
internal static class CommandActions
{
    /// <summary>Sets a synchronous action; the console writes where the parse was invoked to write
    /// (<see cref="InvocationConfiguration"/>).</summary>
    public static void SetAction(this Command command, ErrorStyle errors, Func<ParseResult, CliConsole, int> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(body);
        command.SetAction(parse =>
        {
            var io = CliConsole.From(parse);
            try
            {
                return body(parse, io);
            }
            catch (Exception e) when (errors.Describe(e) is { } message)
            {
                return errors.Report(io, e, message);
            }
        });
    }

    /// <summary>Sets an asynchronous action; see the synchronous overload.</summary>
    public static void SetAction(this Command command, ErrorStyle errors, Func<ParseResult, CliConsole, CancellationToken, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(body);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var io = CliConsole.From(parse);
            try
            {
                return await body(parse, io, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (errors.Describe(e) is { } message)
            {
                return errors.Report(io, e, message);
            }
        });
    }
}
