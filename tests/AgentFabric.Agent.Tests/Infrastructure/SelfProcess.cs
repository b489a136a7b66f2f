using System.Globalization;
using AgentFabric.Agent.Identity;

namespace AgentFabric.Agent.Tests.Infrastructure;

/// <summary>Facts about the test process itself, read independently of the attestor, to build entries that match it.</summary>
internal static class SelfProcess
{
    public static int Uid => ReadId("Uid:");

    public static int Gid => ReadId("Gid:");

    public static string ExecutablePath => new FileInfo("/proc/self/exe").LinkTarget!;

    public static Selector UidSelector => new("unix", "uid:" + Uid.ToString(CultureInfo.InvariantCulture));

    public static Selector PathSelector => new("unix", "path:" + ExecutablePath);

    public static string NewSocketPath()
    {
        string dir = Path.Combine(Path.GetTempPath(), "af-agent-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, "agent.sock");
    }

    private static int ReadId(string prefix)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return int.Parse(line[prefix.Length..].Split('\t', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }
}
