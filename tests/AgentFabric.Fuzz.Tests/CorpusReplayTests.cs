using AgentFabric.Fuzz;

namespace AgentFabric.Fuzz.Tests;

/// <summary>Replays the committed fuzz corpus (tests/fuzz-corpus/&lt;target&gt;/): every input that once crashed a
/// parser, plus the inputs the mutation loop kept for reaching a new outcome, must give only documented errors.</summary>
public class CorpusReplayTests
{
    private static string CorpusRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "fuzz-corpus");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException("tests/fuzz-corpus not found above " + AppContext.BaseDirectory);
        }
    }

    public static TheoryData<string> Targets => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void TheCorpusGivesOnlyDocumentedErrors(string target)
    {
        var directory = Path.Combine(CorpusRoot, target);

        var findings = CorpusReplay.Run(FuzzTargets.Find(target)!, directory);

        Assert.NotEmpty(CorpusReplay.Files(directory));
        Assert.Empty(findings.Select(f => f.Signature));
    }

    [Fact]
    public void EveryCorpusDirectoryNamesATarget()
    {
        var directories = Directory.GetDirectories(CorpusRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(StringComparer.Ordinal), directories);
    }
}
