using System.CommandLine;

namespace AgentFabric.Cli.Tests;

/// <summary>The convention every command follows: the body writes through the console it receives, fails by
/// throwing, and the command's error style turns the failure into one line on standard error and an exit code.</summary>
public sealed class CommandActionsTests
{
    private static readonly ErrorStyle s_style = new("tool: ", e => e is TimeoutException ? "took too long" : null);

    private static (int Exit, string Out, string Err) Run(Func<ParseResult, CliConsole, int> body)
    {
        var command = new Command("act");
        command.SetAction(s_style, body);
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = new RootCommand { command }.Parse(["act"]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Success_PrintsOnTheGivenOutputAndReturnsTheBodysExitCode()
    {
        Assert.Equal((0, "result\n", ""), Run((_, console) =>
        {
            console.Out.Write("result\n");
            return 0;
        }));
    }

    [Fact]
    public void CliException_IsOneLineOnTheGivenErrorWithThePrefix_ExitOne()
    {
        Assert.Equal((1, "partial\n", "tool: bad flag\n"), Run((_, console) =>
        {
            console.Out.Write("partial\n");
            throw new CliException("bad flag");
        }));
    }

    [Fact]
    public void CliException_WithAnExitCode_ExitsWithIt()
    {
        Assert.Equal((3, "", "tool: refused\n"), Run((_, _) => throw new CliException("refused", 3)));
    }

    [Fact]
    public void ExceptionTheStyleDescribes_IsReportedAsItsDescription_ExitOne()
    {
        Assert.Equal((1, "", "tool: took too long\n"), Run((_, _) => throw new TimeoutException("internal detail")));
    }

    [Fact]
    public void ExceptionTheStyleDoesNotDescribe_IsABug_LeftToSystemCommandLine()
    {
        var command = new Command("act");
        command.SetAction(s_style, (_, _) => throw new InvalidOperationException("bug"));
        var config = new InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter(), EnableDefaultExceptionHandler = false };

        Assert.Throws<InvalidOperationException>(() => new RootCommand { command }.Parse(["act"]).Invoke(config));
    }

    [Fact]
    public async Task AsyncBody_ReportsTheSameWay()
    {
        var command = new Command("act");
        command.SetAction(s_style, async (_, console, ct) =>
        {
            await console.Out.WriteAsync("started\n".AsMemory(), ct);
            throw new CliException("stopped", 2);
        });
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await new RootCommand { command }.Parse(["act"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal((2, "started\n", "tool: stopped\n"), (exit, output.ToString(), error.ToString()));
    }
}
