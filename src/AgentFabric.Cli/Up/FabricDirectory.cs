namespace AgentFabric.Cli.Up;

/// <summary>
/// The state directory of <c>agentfabric up</c> (<c>./.agentfabric</c> by default): the generated configurations,
/// the server's and the agent's data, the policy bundle, the Unix sockets, the children's logs and the state file of
/// the running <c>up</c>. It holds keys and join tokens, so it is the user's alone (0700).
/// </summary>
internal sealed class FabricDirectory
{
    public const string DefaultName = ".agentfabric";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public FabricDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary><c>fabric.json</c>: the trust domain and ports chosen by the first <c>up</c>, reused by the next.</summary>
    public string LayoutFile => Path.Combine(Root, "fabric.json");

    /// <summary><c>state.json</c>: the running <c>up</c> and its children (pids, start times); gone when it stops.</summary>
    public string StateFile => Path.Combine(Root, "state.json");

    public string ServerConfig => Path.Combine(Root, "server.json");

    public string AgentConfig => Path.Combine(Root, "agent.json");

    public string ServerData => Path.Combine(Root, "server");

    public string AgentData => Path.Combine(Root, "agent");

    /// <summary>The server's bundle, written when the server is ready: the agent's <c>trust_bundle_path</c>.</summary>
    public string BundleFile => Path.Combine(Root, "bundle.pem");

    /// <summary>A join token for the agent's first attestation (0600), deleted once the agent is ready.</summary>
    public string JoinTokenFile => Path.Combine(Root, "join-token");

    public string PolicyBundle => Path.Combine(Root, "policy");

    public string EdgeData => Path.Combine(Root, "edge");

    public string Run => Path.Combine(Root, "run");

    public string AdminSocket => Path.Combine(Run, "server.sock");

    public string WorkloadSocket => Path.Combine(Run, "agent.sock");

    public string Logs => Path.Combine(Root, "logs");

    public string LogFile(string child) => Path.Combine(Logs, child + ".log");

    /// <summary>Creates the directory and its <c>logs/</c> and <c>run/</c> (0700), and proves it is writable.</summary>
    /// <exception cref="FabricStateException">It cannot be created or written.</exception>
    public void Create()
    {
        try
        {
            foreach (var dir in new[] { Root, Logs, Run })
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(dir);
                }
                else
                {
                    Directory.CreateDirectory(dir, OwnerOnly);
                }
            }

            if (!OperatingSystem.IsWindows())
            {
                // An existing directory keeps its mode through CreateDirectory: tighten it (keys and tokens live here).
                File.SetUnixFileMode(Root, OwnerOnly);
            }
            var probe = Path.Combine(Root, ".write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FabricStateException($"state directory {Root} is not writable: {e.Message}", e);
        }
    }

    /// <summary>Writes a file through a temporary sibling and a rename, so a reader never sees half of it.</summary>
    public static void WriteAtomically(string path, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        File.Move(temp, path, overwrite: true);
    }
}
