using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using System.Text.RegularExpressions;

namespace AgentFabric.Fuzz;

/// <summary>Settings of a mutation run.</summary>
/// <param name="Iterations">Inputs to run.</param>
/// <param name="Corpus">Directory of starting inputs; inputs with an outcome not seen before are added to it.</param>
/// <param name="Findings">Where inputs that crash or hang are written.</param>
/// <param name="Seed">The random seed (a run is reproducible from its seed and corpus).</param>
/// <param name="InputTimeout">An input running longer is a hang: written out, and the process exits 3.</param>
/// <param name="MaxCorpus">The corpus stops growing at this many files.</param>
/// <param name="MaxLength">Mutated inputs are cut to this many bytes.</param>
/// <param name="MaxDuration">The run stops after this long even if fewer inputs ran (the report gives the count).</param>
public sealed record LoopOptions(long Iterations, string Corpus, string Findings, int Seed, TimeSpan InputTimeout, int MaxCorpus = 120, int MaxLength = 65_536, TimeSpan? MaxDuration = null);

/// <summary>A fuzzing loop without AFL: mutate a corpus entry, run it, keep inputs whose outcome (the error text with
/// digits masked) is new — a cheap stand-in for coverage. The input being run is mirrored in a memory-mapped file
/// (<c>&lt;findings&gt;/&lt;target&gt;.last</c>) so a stack overflow, which kills the process, still leaves it.</summary>
public sealed partial class MutationLoop(FuzzTarget target, LoopOptions options, TextWriter log)
{
    private long _startedAt;

    /// <summary>Runs the loop; returns the number of distinct findings.</summary>
    public int Run()
    {
        Directory.CreateDirectory(options.Corpus);
        Directory.CreateDirectory(options.Findings);
        if (CorpusReplay.Files(options.Corpus).Count == 0)
        {
            foreach (var seed in target.Seeds())
            {
                File.WriteAllBytes(Path.Combine(options.Corpus, Finding.FileName(seed)), seed);
            }
        }

        var corpus = CorpusReplay.Files(options.Corpus).Select(File.ReadAllBytes).ToList();
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        using var last = MemoryMappedFile.CreateFromFile(Path.Combine(options.Findings, target.Name + ".last"), FileMode.Create, null, options.MaxLength + 4);
        using var lastView = last.CreateViewAccessor();
        using var watchdog = new Timer(_ => CheckHang(lastView), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var random = new Random(options.Seed);
        var mutator = new Mutator(random, target.Dictionary, options.MaxLength);
        var clock = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(30);
        var replayed = corpus.Count;
        var ran = 0L;
        for (var i = 0L; i < options.Iterations + replayed; i++)
        {
            if (options.MaxDuration is { } cap && (i & 255) == 0 && clock.Elapsed >= cap)
            {
                break;
            }

            ran = i + 1;
            // The corpus runs first, unmutated, to learn its outcomes.
            var input = i < corpus.Count ? corpus[(int)i] : mutator.Mutate(corpus[random.Next(corpus.Count)], corpus);
            lastView.Write(0, input.Length);
            lastView.WriteArray(4, input, 0, input.Length);
            Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
            string? outcome;
            try
            {
                outcome = target.Run(input);
            }
#pragma warning disable CA1031 // Any escaping exception is a finding.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var finding = new Finding(input, e);
                if (signatures.Add(finding.Signature))
                {
                    var file = Path.Combine(options.Findings, $"crash-{target.Name}-{Finding.FileName(input)}");
                    File.WriteAllBytes(file, input);
                    log.WriteLine($"FINDING {finding.Signature}\n  input: {file}\n{e}");
                }

                outcome = null;
            }
            finally
            {
                Volatile.Write(ref _startedAt, 0);
            }

            if (outcome is not null && outcomes.Add(Digits().Replace(outcome.Length > 100 ? outcome[..100] : outcome, "#"))
                && i >= corpus.Count && corpus.Count < options.MaxCorpus && input.Length <= 4_096)
            {
                corpus.Add(input);
                File.WriteAllBytes(Path.Combine(options.Corpus, Finding.FileName(input)), input);
            }

            if (clock.Elapsed >= nextReport)
            {
                nextReport += TimeSpan.FromSeconds(30);
                Report(i + 1, clock.Elapsed, corpus.Count, signatures.Count);
            }
        }

        Report(ran, clock.Elapsed, corpus.Count, signatures.Count);
        return signatures.Count;
    }

    private void Report(long runs, TimeSpan elapsed, int corpusSize, int findings) =>
        log.WriteLine($"{target.Name}: {runs:N0} inputs in {elapsed.TotalSeconds:N0} s ({runs / Math.Max(elapsed.TotalSeconds, 0.001):N0}/s), corpus {corpusSize}, findings {findings}");

    private void CheckHang(MemoryMappedViewAccessor lastView)
    {
        var started = Volatile.Read(ref _startedAt);
        if (started != 0 && Stopwatch.GetElapsedTime(started) > options.InputTimeout)
        {
            var length = lastView.ReadInt32(0);
            var input = new byte[length];
            lastView.ReadArray(4, input, 0, length);
            var file = Path.Combine(options.Findings, $"hang-{target.Name}-{Finding.FileName(input)}");
            File.WriteAllBytes(file, input);
            log.WriteLine($"FINDING hang: an input ran over {options.InputTimeout.TotalSeconds:N0} s\n  input: {file}");
            log.Flush();
            Environment.Exit(3);
        }
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
