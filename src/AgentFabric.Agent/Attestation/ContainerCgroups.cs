using System.Text.RegularExpressions;

namespace AgentFabric.Agent.Attestation;

/// <summary>Reads container and pod identifiers from a process's cgroup paths (cgroup v1 and v2, Docker, containerd,
/// CRI-O, systemd and cgroupfs drivers).</summary>
internal static partial class ContainerCgroups
{
    /// <summary>The 64-hex-digit container ID in the innermost cgroup path, or null outside a container.</summary>
    public static string? ContainerId(string cgroups)
    {
        string? id = null;
        foreach (var line in Lines(cgroups))
        {
            foreach (Match match in ContainerIdPattern().Matches(line))
            {
                id = match.Groups["id"].Value;
            }
        }

        return id;
    }

    /// <summary>The pod UID (dashes restored) in a kubepods cgroup path, or null outside a pod.</summary>
    public static string? PodUid(string cgroups)
    {
        foreach (var line in Lines(cgroups))
        {
            var match = PodUidPattern().Match(line);
            if (match.Success)
            {
                // The systemd driver writes the UID with underscores (kubepods-pod<uid with _>.slice).
                return match.Groups["uid"].Value.Replace('_', '-');
            }
        }

        return null;
    }

    private static IEnumerable<string> Lines(string cgroups) =>
        cgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"(?:^|[/\-:])(?<id>[0-9a-f]{64})(?:\.scope)?(?=$|/)")]
    private static partial Regex ContainerIdPattern();

    [GeneratedRegex(@"pod(?<uid>[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})")]
    private static partial Regex PodUidPattern();
}
