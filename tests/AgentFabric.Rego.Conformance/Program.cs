using System.Globalization;
using AgentFabric.Rego.Conformance;

// Runs OPA's YAML conformance cases: dotnet run -- [--min-passed N] [--filter s] [--verbose] <dir>...
var dirs = new List<string>();
var minPassed = 0;
string? filter = null;
var verbose = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--min-passed":
            minPassed = int.Parse(args[++i], CultureInfo.InvariantCulture);
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

if (dirs.Count == 0)
{
    Console.Error.WriteLine("usage: AgentFabric.Rego.Conformance [--min-passed N] [--filter substring] [--verbose] <dir>...");
    return 2;
}

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
if (passed < minPassed)
{
    Console.Error.WriteLine($"conformance: {passed} passed is below the ratchet of {minPassed}");
    return 1;
}

return 0;

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
