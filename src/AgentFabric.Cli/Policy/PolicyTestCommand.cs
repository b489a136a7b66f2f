using System.CommandLine;
using AgentFabric.Rego;

namespace AgentFabric.Cli.Policy;

/// <summary><c>agentfabric policy test DIR...</c>: runs every <c>test_</c> rule as <c>opa test</c> does (a test
/// passes when its value is <c>true</c>; <c>todo_</c> rules are reported as skipped), prints PASS/FAIL/ERROR per
/// test grouped by file and a summary, and exits 0 when all pass, 2 when any fails or errors, 1 when the policies
/// cannot be loaded.</summary>
internal static class PolicyTestCommand
{
    internal const string Rule = "--------------------------------------------------------------------------------";

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Policy files or directories.", Arity = ArgumentArity.OneOrMore };
        var v0 = PolicyCommand.V0Option();
        var strict = PolicyCommand.StrictOption();
        var command = new Command("test", "Run the test_ rules of Rego policies.") { paths, v0, strict };
        command.SetAction(parse => PolicyCommand.Guard(parse, output =>
        {
            var (engine, policy) = PolicyCommand.Compile(parse.GetValue(paths), parse.GetValue(v0), parse.GetValue(strict));
            return Run(engine, policy, output);
        }));
        return command;
    }

    private static int Run(RegoEngine engine, CompiledPolicy policy, TextWriter output)
    {
        var tests = Discover(policy);
        if (tests.Count == 0)
        {
            output.WriteLine("no test_ rules found");
            return 1;
        }

        int passed = 0, failed = 0, errors = 0, skipped = 0;
        foreach (var file in tests.GroupBy(t => t.File))
        {
            output.WriteLine($"{file.Key}:");
            foreach (var test in file)
            {
                if (test.IsTodo)
                {
                    skipped++;
                    output.WriteLine($"{test.Path}: SKIPPED");
                    continue;
                }

                try
                {
                    var result = engine.Prepare(policy, test.Path).Evaluate();
                    if (result.IsTrue)
                    {
                        passed++;
                        output.WriteLine($"{test.Path}: PASS");
                    }
                    else
                    {
                        failed++;
                        output.WriteLine($"{test.Path}: FAIL");
                    }
                }
                catch (RegoException e)
                {
                    errors++;
                    output.WriteLine($"{test.Path}: ERROR");
                    output.WriteLine($"  {PolicyCommand.Describe(e)}");
                }
            }
        }

        var total = tests.Count;
        output.WriteLine(Rule);
        WriteCount(output, "PASS", passed, total);
        WriteCount(output, "FAIL", failed, total);
        WriteCount(output, "SKIPPED", skipped, total);
        WriteCount(output, "ERROR", errors, total);
        return failed + errors > 0 ? 2 : 0;
    }

    private static void WriteCount(TextWriter output, string label, int count, int total)
    {
        if (count > 0 || label == "PASS")
        {
            output.WriteLine($"{label}: {count}/{total}");
        }
    }

    // One test per distinct rule path, in file and source order; functions are not tests.
    private static List<(string File, string Path, bool IsTodo)> Discover(CompiledPolicy policy)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tests = new List<(string, string, bool)>();
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

                var path = string.Join('.', ["data", .. module.Package, name]);
                if (seen.Add(path))
                {
                    tests.Add((module.File, path, isTodo));
                }
            }
        }

        return tests;
    }
}
