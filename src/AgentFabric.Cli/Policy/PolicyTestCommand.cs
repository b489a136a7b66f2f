using System.CommandLine;
using System.Text.RegularExpressions;
using AgentFabric.Rego;
using AgentFabric.Rego.Ast;

namespace AgentFabric.Cli.Policy;

/// <summary><c>agentfabric policy test [-b] [-v] [--run REGEX] [--format pretty|json] [--timeout D] [--max-steps N]
/// [--max-output N] PATH...</c>: runs every
/// <c>test_</c> rule as <c>opa test</c> does (a test passes when its value is <c>true</c>; <c>todo_</c> rules are
/// skipped), and exits 0 when all pass, 2 when any fails or errors, 1 when the policies cannot be loaded or no test
/// matches. The report is <see cref="PolicyTestReport"/>'s.</summary>
internal static class PolicyTestCommand
{
    internal const string Rule = "--------------------------------------------------------------------------------";

    /// <summary>The clock that times each test; tests of the command replace it.</summary>
    internal static TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The clock of the per-test time limit: real time even when <see cref="Clock"/> is a test's fake.</summary>
    internal static TimeProvider LimitClock { get; set; } = TimeProvider.System;

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Policy files or directories (bundles with -b).", Arity = ArgumentArity.OneOrMore };
        var v0 = PolicyCommand.V0Option();
        var strict = PolicyCommand.StrictOption();
        var bundle = new Option<bool>("--bundle", "-b") { Description = "Load the paths as OPA bundles (directories or .tar.gz files)." };
        var run = new Option<string?>("--run", "-r") { Description = "Run only the tests whose full name (data.pkg.test_x) matches this regular expression." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "List every test with its duration, not only the ones that did not pass." };
        var format = new Option<string>("--format") { Description = "Output format: pretty or json.", DefaultValueFactory = _ => "pretty" };
        format.AcceptOnlyFromAmong("pretty", "json");
        var timeout = PolicyLimits.TimeoutOption(TimeSpan.FromSeconds(5), "Stop each test after this long, as a Go duration (100ms, 5s, 1m30s); 0 for no limit. Default 5s, as opa test.");
        var maxSteps = PolicyLimits.MaxStepsOption();
        var maxOutput = PolicyLimits.MaxOutputOption();
        var command = new Command("test", "Run the test_ rules of Rego policies.") { paths, v0, strict, bundle, run, verbose, format, timeout, maxSteps, maxOutput };
        command.SetAction(PolicyCommand.Errors, (parse, console) =>
        {
            var filter = Filter(parse.GetValue(run));
            var given = parse.GetValue(paths);

            // print() output is kept per test, as opa test shows it under the test.
            var printed = new System.Text.StringBuilder();
            void Print(string line) => printed.Append(line).Append('\n');
            var (engine, policy) = parse.GetValue(bundle)
                ? PolicyCommand.Compile([], parse.GetValue(v0), parse.GetValue(strict), given, Print)
                : PolicyCommand.Compile(given, parse.GetValue(v0), parse.GetValue(strict), print: Print);
            var tests = Discover(policy).Where(t => filter?.IsMatch(t.FullName) ?? true).ToList();
            if (tests.Count == 0)
            {
                console.Out.WriteLine("no test_ rules found");
                return 1;
            }

            var limits = PolicyLimits.From(parse, timeout, maxSteps, maxOutput);
            var results = tests.Select(t =>
            {
                printed.Clear();
                return Run(engine, policy, t, limits) with { Output = printed.ToString() };
            }).ToList();
            if (parse.GetValue(format) == "json")
            {
                PolicyTestReport.WriteJson(console.Out, results);
            }
            else
            {
                PolicyTestReport.WritePretty(console.Out, results, parse.GetValue(verbose));
            }

            return results.Any(r => r.Outcome is TestOutcome.Fail or TestOutcome.Error) ? 2 : 0;
        });
        return command;
    }

    private static Regex? Filter(string? pattern)
    {
        if (pattern is null)
        {
            return null;
        }

        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--run: invalid regular expression: {e.Message}");
        }
    }

    // A test that reaches a limit is an ERROR (exit code 2) showing the limit, as opa test reports a timed-out test.
    private static TestResult Run(RegoEngine engine, CompiledPolicy policy, TestCase test, PolicyLimits limits)
    {
        if (test.IsTodo)
        {
            return new TestResult(test, TestOutcome.Skip, 0, null);
        }

        var start = Clock.GetTimestamp();
        try
        {
            var result = limits.Evaluate(engine.Prepare(policy, test.FullName), null, LimitClock);
            return new TestResult(test, result.IsTrue ? TestOutcome.Pass : TestOutcome.Fail, Elapsed(start), null);
        }
        catch (RegoException e)
        {
            return new TestResult(test, TestOutcome.Error, Elapsed(start), e);
        }
    }

    private static long Elapsed(long start) => Clock.GetElapsedTime(start).Ticks * 100;

    // One test per distinct rule path, in file and source order; functions are not tests.
    private static List<TestCase> Discover(CompiledPolicy policy)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tests = new List<TestCase>();
        foreach (var module in policy.Modules)
        {
            foreach (var rule in module.Rules)
            {
                var name = rule.Name;
                var isTest = name.StartsWith("test_", StringComparison.Ordinal);
                var isTodo = name.StartsWith("todo_", StringComparison.Ordinal);
                if ((!isTest && !isTodo) || rule.Args is not null || rule.Head.Count != 1)
                {
                    continue;
                }

                var package = string.Join('.', ["data", .. module.Package]);
                if (seen.Add($"{package}.{name}"))
                {
                    tests.Add(new TestCase(package, name, rule.Location, isTodo));
                }
            }
        }

        return tests;
    }
}

/// <summary>A test rule: its package path (<c>data.authz</c>), name and location.</summary>
internal sealed record TestCase(string Package, string Name, Location Location, bool IsTodo)
{
    public string FullName => $"{Package}.{Name}";
}

internal enum TestOutcome
{
    Pass,
    Fail,
    Error,
    Skip,
}

/// <summary>One test's outcome, duration in nanoseconds, and what its <c>print</c> calls wrote.</summary>
internal sealed record TestResult(TestCase Test, TestOutcome Outcome, long DurationNs, RegoException? Error)
{
    public string Output { get; init; } = "";
}
