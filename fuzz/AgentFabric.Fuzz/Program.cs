using System.Globalization;
using AgentFabric.Fuzz;

// Usage:
//   AgentFabric.Fuzz list
//   AgentFabric.Fuzz <target> [--iterations N] [--corpus DIR] [--findings DIR] [--seed N] [--timeout-ms N] [--max-corpus N] [--seconds N]
//   AgentFabric.Fuzz replay <target> DIR
//   AgentFabric.Fuzz afl <target>        (under afl-fuzz, after `sharpfuzz` instrumented the assemblies)
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: AgentFabric.Fuzz list | <target> [--iterations N] [--corpus DIR] [--findings DIR] [--seed N] [--timeout-ms N] [--max-corpus N] [--seconds N] | replay <target> DIR | afl <target>");
    return 2;
}

if (args[0] == "list")
{
    foreach (var t in FuzzTargets.All)
    {
        Console.WriteLine(t.Name);
    }

    return 0;
}

if (args[0] is "replay" or "afl")
{
    var named = args.Length > 1 ? FuzzTargets.Find(args[1]) : null;
    if (named is null)
    {
        Console.Error.WriteLine($"fuzz: unknown target '{(args.Length > 1 ? args[1] : "")}' (see 'list')");
        return 2;
    }

    if (args[0] == "afl")
    {
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            _ = named.Run(buffer.ToArray());
        });
        return 0;
    }

    if (args.Length < 3)
    {
        Console.Error.WriteLine("fuzz: replay needs a corpus directory");
        return 2;
    }

    var findings = CorpusReplay.Run(named, args[2]);
    foreach (var f in findings)
    {
        Console.WriteLine($"FINDING {f.Signature}\n{f.Exception}");
    }

    Console.WriteLine($"{named.Name}: {CorpusReplay.Files(args[2]).Count} inputs replayed, {findings.Count} findings");
    return findings.Count == 0 ? 0 : 1;
}

var target = FuzzTargets.Find(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"fuzz: unknown target '{args[0]}' (see 'list')");
    return 2;
}

var options = new LoopOptions(1_000_000, Path.Combine("tests", "fuzz-corpus", target.Name), Path.Combine("fuzz-findings"), 1, TimeSpan.FromSeconds(10));
for (var i = 1; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    if (value is null)
    {
        Console.Error.WriteLine($"fuzz: {args[i]} needs a value");
        return 2;
    }

    options = args[i] switch
    {
        "--iterations" => options with { Iterations = long.Parse(value, CultureInfo.InvariantCulture) },
        "--corpus" => options with { Corpus = value },
        "--findings" => options with { Findings = value },
        "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
        "--timeout-ms" => options with { InputTimeout = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)) },
        "--max-corpus" => options with { MaxCorpus = int.Parse(value, CultureInfo.InvariantCulture) },
        "--seconds" => options with { MaxDuration = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture)) },
        _ => throw new ArgumentException($"fuzz: unknown flag {args[i]}"),
    };
    i++;
}

var found = new MutationLoop(target, options, Console.Out).Run();
return found == 0 ? 0 : 1;
