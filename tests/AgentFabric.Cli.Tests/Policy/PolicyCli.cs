using System.CommandLine;
using AgentFabric.Cli.Policy;

namespace AgentFabric.Cli.Tests.Policy;

/// <summary>Runs <c>agentfabric policy ...</c> in-process through the command's own parser and actions, capturing
/// standard output and error; and writes policy files into a temporary directory.</summary>
internal sealed class PolicyCli : IDisposable
{
    public PolicyCli()
    {
        Dir = Directory.CreateTempSubdirectory("af-policy-cli-").FullName;
    }

    public string Dir { get; }

    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Dir, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand("test") { PolicyCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = root.Parse(["policy", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
