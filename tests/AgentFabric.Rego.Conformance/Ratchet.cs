using System.Globalization;

namespace AgentFabric.Rego.Conformance;

/// <summary>The conformance ratchet: for each case folder, how many of its cases pass, as sorted lines
/// "<c>folder passed/total</c>" that a diff shows. A folder may not pass fewer cases than recorded; when one passes
/// more (or its cases change), the developer records the new counts (<c>--update-ratchet</c>).</summary>
internal sealed class Ratchet
{
    private const string Header = """
        # OPA conformance ratchet: "<folder> <passed>/<total>" for every case folder, sorted. The runner fails when a
        # folder passes fewer cases than recorded here; when one passes more, record it (the runner prints the lines):
        #   dotnet run --project tests/AgentFabric.Rego.Conformance -c Release -- --ratchet \
        #     tests/AgentFabric.Rego.Conformance/ratchet.txt --update-ratchet ../shared/conformance/opa ../shared/conformance/opa-compile
        """;

    private readonly SortedDictionary<string, FolderCount> _folders;

    private Ratchet(SortedDictionary<string, FolderCount> folders) => _folders = folders;

    /// <summary>The recorded counts.</summary>
    public IReadOnlyDictionary<string, FolderCount> Folders => _folders;

    /// <summary>Reads a ratchet file; blank lines and lines starting with '#' are comments.</summary>
    public static Ratchet Load(string path)
    {
        var folders = new SortedDictionary<string, FolderCount>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var counts = parts.Length == 2 ? parts[1].Split('/') : [];
            if (counts.Length != 2 ||
                !int.TryParse(counts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var passed) ||
                !int.TryParse(counts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var total) ||
                passed > total || !folders.TryAdd(parts[0], new FolderCount(passed, total)))
            {
                throw new FormatException($"{path}:{lineNumber}: expected a new folder's \"<folder> <passed>/<total>\", got \"{line}\"");
            }
        }

        return new Ratchet(folders);
    }

    /// <summary>Compares a run with the recorded counts. Folders the run did not reach count as passing nothing
    /// unless <paramref name="partial"/> (a filtered run), when only the folders it ran are compared.</summary>
    public RatchetComparison Compare(IReadOnlyDictionary<string, FolderCount> run, bool partial)
    {
        var regressions = new List<string>();
        var changes = new List<string>();
        foreach (var (folder, recorded) in _folders)
        {
            if (!run.TryGetValue(folder, out var actual))
            {
                if (partial)
                {
                    continue;
                }

                actual = new FolderCount(0, 0);
            }

            if (actual.Passed < recorded.Passed)
            {
                regressions.Add($"{folder}: {actual.Passed}/{actual.Total} passed, the ratchet records {recorded.Passed}/{recorded.Total}");
            }
            else if (actual != recorded)
            {
                changes.Add($"- {Line(folder, recorded)}");
                changes.Add($"+ {Line(folder, actual)}");
            }
        }

        foreach (var (folder, actual) in run)
        {
            if (!_folders.ContainsKey(folder))
            {
                changes.Add($"+ {Line(folder, actual)}");
            }
        }

        return new RatchetComparison(regressions, changes);
    }

    /// <summary>Writes the recorded counts with a run's counts in place of the folders it ran.</summary>
    public void Update(string path, IReadOnlyDictionary<string, FolderCount> run)
    {
        var merged = new SortedDictionary<string, FolderCount>(_folders, StringComparer.Ordinal);
        foreach (var (folder, actual) in run)
        {
            merged[folder] = actual;
        }

        var lines = new List<string>(Header.Split('\n'));
        lines.AddRange(merged.Select(f => Line(f.Key, f.Value)));
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
    }

    private static string Line(string folder, FolderCount count) =>
        string.Create(CultureInfo.InvariantCulture, $"{folder} {count.Passed}/{count.Total}");
}

/// <summary>A folder's passing and total case counts.</summary>
internal readonly record struct FolderCount(int Passed, int Total);

/// <summary>Folders that pass fewer cases than recorded, and the ratchet lines a run would change ("- old", "+ new").</summary>
internal sealed record RatchetComparison(IReadOnlyList<string> Regressions, IReadOnlyList<string> Changes);
