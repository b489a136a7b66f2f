namespace AgentFabric.Cli.Tests.Policy;

/// <summary>Runs <c>agentfabric policy ...</c> in-process (<see cref="CliRun"/>), capturing standard output and
/// error; and writes policy files into a temporary directory.</summary>
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

    public static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Invoke(["policy", .. args]);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
