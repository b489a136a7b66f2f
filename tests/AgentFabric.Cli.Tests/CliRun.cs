using System.CommandLine;

namespace AgentFabric.Cli.Tests;

/// <summary>Runs <c>agentfabric args...</c> in-process: the real command tree (<see cref="Program.CreateRoot"/>)
/// invoked with string writers as its standard output and error, so no test touches the process console.</summary>
internal static class CliRun
{
    public static (int Exit, string Out, string Err) Invoke(params string[] args)
    {
        var (config, output, error) = Writers();
        var exit = Program.CreateRoot().Parse(args).Invoke(config);
        return (exit, Text(output), Text(error));
    }

    public static async Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args)
    {
        var (config, output, error) = Writers();
        var exit = await Program.CreateRoot().Parse(args).InvokeAsync(config);
        return (exit, Text(output), Text(error));
    }

    private static (InvocationConfiguration Config, StringWriter Out, StringWriter Err) Writers()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        return (new InvocationConfiguration { Output = output, Error = error }, output, error);
    }

    private static string Text(StringWriter writer) => writer.ToString().ReplaceLineEndings("\n");
}
