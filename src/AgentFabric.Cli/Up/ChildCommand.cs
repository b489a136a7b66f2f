namespace AgentFabric.Cli.Up;

/// <summary>A child's command line and the environment variables it gets on top of <c>up</c>'s.</summary>
internal sealed record ChildCommand(string FileName, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>This same program with <paramref name="arguments"/>: the apphost when <c>up</c> runs as one (the
    /// built <c>agentfabric</c>, or what <c>dotnet run</c> starts), otherwise <c>dotnet agentfabric.dll</c> (also when
    /// the command tree runs inside another host, such as a test runner).</summary>
    public static ChildCommand Self(params string[] arguments)
    {
        var host = System.Environment.ProcessPath;
        var dll = typeof(ChildCommand).Assembly.Location;
        if (host is not null && Path.GetFileName(host) == Path.GetFileNameWithoutExtension(dll))
        {
            return new ChildCommand(host, arguments);
        }

        return new ChildCommand(Dotnet, [dll, .. arguments]);
    }

    /// <summary>The <c>dotnet</c> muxer: the one that runs us, else the one the SDK names, else the one on PATH.</summary>
    public static string Dotnet
    {
        get
        {
            var host = System.Environment.ProcessPath;
            return host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet"
                ? host
                : System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? OnPath("dotnet") ?? "dotnet";
        }
    }

    /// <summary>The file the command runs, as a full path (a bare name looked up on PATH, as exec does); null when
    /// there is no such file.</summary>
    public string? ResolvedFileName =>
        FileName.Contains('/', StringComparison.Ordinal) ? (File.Exists(FileName) ? Path.GetFullPath(FileName) : null) : OnPath(FileName);

    private static string? OnPath(string name) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    /// <summary>How the command reads in a log or an error (arguments with spaces quoted).</summary>
    public override string ToString() =>
        string.Join(' ', new[] { FileName }.Concat(Arguments).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
}
