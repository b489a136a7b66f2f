using AgentFabric.Rego.Conformance;

// Runs OPA's YAML conformance cases:
//   dotnet run -- [--ratchet ratchet.txt [--update-ratchet]] [--filter s] [--verbose] <dir>...
// With --ratchet, fails when a folder passes fewer cases than the file records, and prints the lines to change when
// one passes more; --update-ratchet writes them.
var dirs = new List<string>();
string? ratchetPath = null;
var updateRatchet = false;
string? filter = null;
var verbose = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--ratchet":
            ratchetPath = args[++i];
            break;
        case "--update-ratchet":
            updateRatchet = true;
            break;
        case "--filter":
            filter = args[++i];
            break;
        case "--verbose":
            verbose = true;
            break;
        default:
            dirs.Add(args[i]);
            break;
    }
}

if (dirs.Count == 0 || (updateRatchet && ratchetPath is null))
{
    Console.Error.WriteLine("usage: AgentFabric.Rego.Conformance [--ratchet file [--update-ratchet]] [--filter substring] [--verbose] <dir>...");
    return 2;
}

var ratchet = ratchetPath is null ? null : Ratchet.Load(ratchetPath);

var perFolder = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
int passed = 0, failed = 0, skipped = 0;
foreach (var dir in dirs)
{
    if (!Directory.Exists(dir))
    {
        Console.Error.WriteLine($"skipped: {dir} does not exist");
        continue;
    }

    var root = Path.GetFullPath(dir);
    foreach (var file in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
    {
        var rel = Path.GetRelativePath(root, file);
        // Prefixed by the suite's folder name (opa/, opa-compile/) so suites sharing folder names stay apart.
        var folder = Path.Combine(Path.GetFileName(Path.TrimEndingDirectorySeparator(root)), Path.GetDirectoryName(rel) ?? ".");
        var isV0 = file.Replace('\\', '/').Contains("/v0/", StringComparison.Ordinal);
        List<ConformanceCase> cases;
        try
        {
            cases = ConformanceCase.Load(file, folder, isV0).ToList();
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or FormatException)
        {
            Console.WriteLine($"SKIP {rel}: unreadable YAML: {e.Message}");
            continue;
        }

        foreach (var c in cases)
        {
            if (filter is not null && !rel.Contains(filter, StringComparison.Ordinal) && !c.Note.Contains(filter, StringComparison.Ordinal))
            {
                continue;
            }

            var outcome = RunWithTimeout(c, TimeSpan.FromSeconds(20));
            if (!perFolder.TryGetValue(folder, out var counts))
            {
                counts = new int[3];
                perFolder[folder] = counts;
            }

            counts[(int)outcome.Status]++;
            switch (outcome.Status)
            {
                case CaseStatus.Passed:
                    passed++;
                    break;
                case CaseStatus.Failed:
                    failed++;
                    if (verbose)
                    {
                        Console.WriteLine($"FAIL {rel}: {c.Note}\n      {outcome.Detail}");
                    }

                    break;
                default:
                    skipped++;
                    Console.WriteLine($"SKIP {rel}: {c.Note}: {outcome.Detail}");
                    break;
            }
        }
    }
}

Console.WriteLine();
Console.WriteLine($"{"folder",-50} {"passed",7} {"failed",7} {"skipped",8}");
foreach (var (folder, counts) in perFolder)
{
    Console.WriteLine($"{folder,-50} {counts[0],7} {counts[1],7} {counts[2],8}");
}

Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
return ratchet is null ? 0 : CheckRatchet(ratchet, ratchetPath!, perFolder, partial: filter is not null, updateRatchet);

static int CheckRatchet(Ratchet ratchet, string path, SortedDictionary<string, int[]> perFolder, bool partial, bool update)
{
    var run = perFolder.ToDictionary(
        f => f.Key.Replace('\\', '/'),
        f => new FolderCount(f.Value[(int)CaseStatus.Passed], f.Value.Sum()),
        StringComparer.Ordinal);
    var comparison = ratchet.Compare(run, partial);
    if (comparison.Regressions.Count > 0)
    {
        Console.Error.WriteLine($"conformance: {comparison.Regressions.Count} folder(s) pass fewer cases than {path} records:");
        foreach (var regression in comparison.Regressions)
        {
            Console.Error.WriteLine($"  {regression}");
        }

        return 1;
    }

    if (comparison.Changes.Count == 0)
    {
        Console.WriteLine($"conformance: every folder matches {path}");
        return 0;
    }

    if (update)
    {
        ratchet.Update(path, run);
        Console.WriteLine($"conformance: updated {path}:");
    }
    else
    {
        Console.WriteLine($"conformance: more cases pass than {path} records; record them with --update-ratchet, or change these lines:");
    }

    foreach (var change in comparison.Changes)
    {
        Console.WriteLine($"  {change}");
    }

    return 0;
}

// Each case runs on its own thread (with a deep stack) so a hang or stack overflow in one cannot stall the run.
static CaseOutcome RunWithTimeout(ConformanceCase c, TimeSpan timeout)
{
    CaseOutcome? outcome = null;
    var thread = new Thread(
        () =>
        {
            try
            {
                outcome = CaseRunner.Run(c);
            }
#pragma warning disable CA1031 // A defect in the engine must fail the case, not the run.
            catch (Exception e)
#pragma warning restore CA1031
            {
                outcome = new CaseOutcome(CaseStatus.Failed, $"crash: {e.GetType().Name}: {e.Message}");
            }
        },
        256 * 1024 * 1024)
    {
        IsBackground = true,
    };
    thread.Start();
    if (!thread.Join(timeout))
    {
        return new CaseOutcome(CaseStatus.Failed, $"timed out after {timeout.TotalSeconds}s");
    }

    return outcome ?? new CaseOutcome(CaseStatus.Failed, "no outcome");
}
