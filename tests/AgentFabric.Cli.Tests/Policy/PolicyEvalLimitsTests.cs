namespace AgentFabric.Cli.Tests.Policy;

/// <summary><c>policy eval --timeout|--max-steps|--max-output</c>: a limit reached prints one <c>eval_cancel_error</c>
/// line on standard error, nothing on standard output, and exits 1; bad flag values are refused before evaluating
/// (System.CommandLine's parse error on standard error, its help on standard output).</summary>
public sealed class PolicyEvalLimitsTests : IDisposable
{
    private const string Runaway = """
        package runaway

        # 9 million pairs: seconds of work, stopped by any limit long before.
        pairs := count([1 | some a in numbers.range(1, 3000); some b in numbers.range(1, 3000)])

        # One builtin call that builds 4 million numbers: only the cancellation it checks while running stops it early.
        range := count(numbers.range(1, 4000000))

        evens := {x | some x in numbers.range(1, 100); x % 2 == 0}

        small := count([x | some x in numbers.range(1, 10)])
        """;

    private readonly PolicyCli _cli = new();

    private readonly string _policy;

    public PolicyEvalLimitsTests() => _policy = _cli.Write("runaway.rego", Runaway);

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string[], string> LimitsReached => new()
    {
        { ["--timeout", "100ms", "data.runaway.pairs"], "eval_cancel_error: evaluation exceeded the time limit of 100ms (--timeout)\n" },
        // 1ms: building 4 million numbers takes far longer on any machine, so the cancellation inside the builtin stops it.
        { ["--timeout", "1ms", "data.runaway.range"], "eval_cancel_error: evaluation exceeded the time limit of 1ms (--timeout)\n" },
        { ["--timeout", "0.1s", "--max-steps", "0", "data.runaway.pairs"], "eval_cancel_error: evaluation exceeded the time limit of 100ms (--timeout)\n" },
        { ["--max-steps", "1000", "data.runaway.pairs"], "eval_cancel_error: evaluation exceeded the step limit (1000)\n" },
        { ["--max-output", "10", "data.runaway.evens"], "{policy}:9:10: eval_cancel_error: evaluation exceeded the output size limit (10)\n" },
    };

    [Theory]
    [MemberData(nameof(LimitsReached))]
    public void ALimitReachedIsAnErrorNeverAResult(string[] flags, string expected)
    {
        var (exit, stdout, stderr) = PolicyCli.Run(["eval", "-d", _cli.Dir, .. flags]);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal(expected.Replace("{policy}", _policy, StringComparison.Ordinal), stderr);
    }

    // 0 is no limit; a timeout of years is no limit in practice (it once overflowed the engine's deadline into the
    // past); the defaults let an ordinary query through.
    [Theory]
    [InlineData("--timeout", "0", "--max-steps", "0", "--max-output", "0")]
    [InlineData("--timeout", "2000000h", "--max-steps", "100", "--max-output", "10")]
    [InlineData("--timeout", "1m30s", "--max-steps", "1000000", "--max-output", "1000000")]
    public void LimitsNotReachedGiveTheResult(params string[] flags)
    {
        var (exit, stdout, stderr) = PolicyCli.Run(["eval", "-d", _cli.Dir, .. flags, "data.runaway.small"]);
        var (plainExit, plainOut, _) = PolicyCli.Run(["eval", "-d", _cli.Dir, "data.runaway.small"]);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("\"value\": 10,", stdout, StringComparison.Ordinal);
        Assert.Equal(0, plainExit);
        Assert.Equal(stdout, plainOut);
    }

    public static TheoryData<string[], string> BadFlags => new()
    {
        { ["--timeout", "abc"], "invalid argument \"abc\" for \"--timeout\" flag: time: invalid duration \"abc\"" },
        { ["--timeout", "5"], "invalid argument \"5\" for \"--timeout\" flag: time: invalid duration \"5\"" },
        { ["--timeout", "1d"], "invalid argument \"1d\" for \"--timeout\" flag: time: invalid duration \"1d\"" },
        { ["--timeout", "3000000h"], "invalid argument \"3000000h\" for \"--timeout\" flag: time: invalid duration \"3000000h\"" },
        { ["--timeout", "-1s"], "--timeout must not be negative (0 for no limit), got \"-1s\"" },
        { ["--max-steps", "-1"], "--max-steps must be 0 (no limit) or a positive number, got -1" },
        { ["--max-output", "-7"], "--max-output must be 0 (no limit) or a positive number, got -7" },
    };

    [Theory]
    [MemberData(nameof(BadFlags))]
    public void BadLimitValuesAreRefusedBeforeEvaluating(string[] flags, string expected)
    {
        var (exit, _, stderr) = PolicyCli.Run(["eval", "-d", _cli.Dir, .. flags, "data.runaway.small"]);

        Assert.Equal(1, exit);
        Assert.Equal(expected, stderr.Split('\n')[0]);
    }
}
