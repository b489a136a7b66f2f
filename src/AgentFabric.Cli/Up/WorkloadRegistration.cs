using System.Security.Cryptography;
using AgentFabric.Server.Api.V1;

namespace AgentFabric.Cli.Up;

/// <summary>
/// The registration entry of a child that is a workload: its SPIFFE ID, issued to a process only when the kernel
/// says it runs this executable (<c>unix:path</c>), with these bytes (<c>unix:sha256</c>), as this user
/// (<c>unix:uid</c>) — what the agent's Unix attestor reads from <c>/proc</c>, not what the process claims.
/// </summary>
internal sealed record WorkloadRegistration(string SpiffeId, string ExecutablePath)
{
    /// <summary>The selectors of the executable as it is on disk now (a rebuild changes its digest: <c>up</c> then
    /// updates the entry).</summary>
    /// <exception cref="IOException">The executable cannot be read.</exception>
    public IReadOnlyList<Selector> Selectors()
    {
        byte[] digest;
        using (var file = File.OpenRead(ExecutablePath))
        {
            digest = SHA256.HashData(file);
        }

        return
        [
            new Selector { Type = "unix", Value = "path:" + ExecutablePath },
            new Selector { Type = "unix", Value = "sha256:" + Convert.ToHexStringLower(digest) },
            new Selector { Type = "unix", Value = "uid:" + CurrentUid() },
        ];
    }

    private static string CurrentUid() => File.ReadLines("/proc/self/status")
        .First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
        .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];

    /// <summary>The path the kernel reports for a process running <paramref name="path"/> (<c>/proc/PID/exe</c> is
    /// absolute with symbolic links resolved).</summary>
    public static string KernelPath(string path) =>
        File.ResolveLinkTarget(Path.GetFullPath(path), returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
}
