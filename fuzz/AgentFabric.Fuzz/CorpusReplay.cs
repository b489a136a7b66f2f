namespace AgentFabric.Fuzz;

/// <summary>Runs every file of a corpus directory through its target once (what the regression test does).</summary>
public static class CorpusReplay
{
    /// <summary>The corpus's files, in name order; none when the directory does not exist.</summary>
    public static IReadOnlyList<string> Files(string directory) =>
        Directory.Exists(directory) ? [.. Directory.GetFiles(directory).Order(StringComparer.Ordinal)] : [];

    /// <summary>Runs <paramref name="target"/> on each file; returns the findings (empty when all is well).</summary>
    public static IReadOnlyList<Finding> Run(FuzzTarget target, string directory)
    {
        ArgumentNullException.ThrowIfNull(target);
        var findings = new List<Finding>();
        foreach (var file in Files(directory))
        {
            var input = File.ReadAllBytes(file);
            try
            {
                _ = target.Run(input);
            }
#pragma warning disable CA1031 // Any escaping exception is the finding being collected.
            catch (Exception e)
#pragma warning restore CA1031
            {
                findings.Add(new Finding(input, e));
            }
        }

        return findings;
    }
}
