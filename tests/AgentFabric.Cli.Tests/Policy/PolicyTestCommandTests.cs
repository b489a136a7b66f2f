using AgentFabric.Cli.Policy;
using AgentFabric.Testing;

namespace AgentFabric.Cli.Tests.Policy;

/// <summary><c>policy test</c> reports as <c>opa test</c> does; every test here takes exactly 1.5 ms by the
/// stepping clock.</summary>
public sealed class PolicyTestCommandTests : IDisposable
{
    private const string Authz = """
        package authz

        allow if input.user == "alice"

        v := 1

        v := 2 if input.conflict
        """;

    private const string AuthzTests = """
        package authz_test

        import data.authz

        test_alice_allowed if authz.allow with input as {"user": "alice"}

        test_bob_allowed if authz.allow with input as {"user": "bob"}

        test_value_is_false := false

        test_conflict if authz.v == 1 with input as {"conflict": true}

        todo_test_later if false

        test_function(x) := x
        """;

    private readonly PolicyCli _cli = new();

    public PolicyTestCommandTests() => PolicyTestCommand.Clock = TestTime.Stepping(TimeSpan.FromMicroseconds(1500));

    public void Dispose()
    {
        PolicyTestCommand.Clock = TimeProvider.System;
        _cli.Dispose();
    }

    [Fact]
    public void AllPassingTestsPrintOnlyTheSummaryAndExitZero()
    {
        _cli.Write("authz_test.rego", """
            package authz

            allow if input.user == "alice"

            test_alice_allowed if allow with input as {"user": "alice"}

            test_bob_denied if not allow with input as {"user": "bob"}
            """);

        var (exit, stdout, stderr) = PolicyCli.Run("test", _cli.Dir);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Equal("PASS: 2/2\n", stdout);
    }

    [Fact]
    public void FailuresErrorsAndTodosAreListedWithTimingsAndExitNonZero()
    {
        var policy = _cli.Write("a/authz.rego", Authz);
        var tests = _cli.Write("b/authz_test.rego", AuthzTests);

        var (exit, stdout, _) = PolicyCli.Run("test", _cli.Dir);

        Assert.Equal(2, exit);
        Assert.Equal(
            $"""
            {tests}:
            data.authz_test.test_bob_allowed: FAIL (1.5ms)
            data.authz_test.test_value_is_false: FAIL (1.5ms)
            data.authz_test.test_conflict: ERROR (1.5ms)
              {policy}:7:1: eval_conflict_error: complete rules must not produce multiple outputs
            data.authz_test.todo_test_later: SKIPPED
            --------------------------------------------------------------------------------
            PASS: 1/5
            FAIL: 2/5
            SKIPPED: 1/5
            ERROR: 1/5

            """,
            stdout);
    }

    [Fact]
    public void VerboseListsEveryTestGroupedByFile()
    {
        var first = _cli.Write("a_test.rego", "package a\n\ntest_one if true\n");
        var second = _cli.Write("b_test.rego", "package b\n\ntest_two if true\n\ntest_three if false\n");

        var (exit, stdout, _) = PolicyCli.Run("test", "-v", _cli.Dir);

        Assert.Equal(2, exit);
        Assert.Equal(
            $"""
            {first}:
            data.a.test_one: PASS (1.5ms)

            {second}:
            data.b.test_two: PASS (1.5ms)
            data.b.test_three: FAIL (1.5ms)
            --------------------------------------------------------------------------------
            PASS: 2/3
            FAIL: 1/3

            """,
            stdout);
    }

    [Fact]
    public void RunSelectsTestsByTheirFullName()
    {
        _cli.Write("a/authz.rego", Authz);
        _cli.Write("b/authz_test.rego", AuthzTests);

        var (exit, stdout, _) = PolicyCli.Run("test", "--run", "authz_test\\.test_(alice|bob)", _cli.Dir);

        Assert.Equal(2, exit);
        Assert.EndsWith("PASS: 1/2\nFAIL: 1/2\n", stdout, StringComparison.Ordinal);
        Assert.Equal("PASS: 1/1\n", PolicyCli.Run("test", "-r", "alice", _cli.Dir).Out);
        Assert.Equal((1, "no test_ rules found\n"), (PolicyCli.Run("test", "-r", "nothing", _cli.Dir) is var r ? (r.Exit, r.Out) : default));
    }

    [Fact]
    public void AnInvalidRunExpressionIsReported()
    {
        _cli.Write("t_test.rego", "package t\n\ntest_one if true\n");

        var (exit, _, stderr) = PolicyCli.Run("test", "--run", "(", _cli.Dir);

        Assert.Equal(1, exit);
        Assert.StartsWith("--run: invalid regular expression: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonFormatWritesOpaTestResults()
    {
        var policy = _cli.Write("a/authz.rego", Authz);
        var tests = _cli.Write("b/authz_test.rego", AuthzTests);

        var (exit, stdout, _) = PolicyCli.Run("test", "--format", "json", "--run", "alice|bob|conflict|todo", _cli.Dir);

        Assert.Equal(2, exit);
        Assert.Equal(
            $$"""
            [
              {
                "location": {
                  "file": "{{tests}}",
                  "row": 5,
                  "col": 1
                },
                "package": "data.authz_test",
                "name": "test_alice_allowed",
                "duration": 1500000
              },
              {
                "location": {
                  "file": "{{tests}}",
                  "row": 7,
                  "col": 1
                },
                "package": "data.authz_test",
                "name": "test_bob_allowed",
                "fail": true,
                "duration": 1500000
              },
              {
                "location": {
                  "file": "{{tests}}",
                  "row": 11,
                  "col": 1
                },
                "package": "data.authz_test",
                "name": "test_conflict",
                "error": {
                  "code": "eval_conflict_error",
                  "message": "complete rules must not produce multiple outputs",
                  "location": {
                    "file": "{{policy}}",
                    "row": 7,
                    "col": 1
                  }
                },
                "duration": 1500000
              },
              {
                "location": {
                  "file": "{{tests}}",
                  "row": 13,
                  "col": 1
                },
                "package": "data.authz_test",
                "name": "todo_test_later",
                "skip": true,
                "duration": 0
              }
            ]

            """,
            stdout);
    }

    [Fact]
    public void BundleFlagLoadsThePathsAsBundles()
    {
        _cli.Write("bundle/.manifest", """{"roots": ["authz", "users"]}""");
        _cli.Write("bundle/users/data.json", """{"admins": ["alice"]}""");
        _cli.Write("bundle/users/ignored.json", """{"admins": ["bob"]}""");
        _cli.Write("bundle/authz/authz.rego", "package authz\n\nallow if input.user in data.users.admins\n\ntest_alice if allow with input.user as \"alice\"\n\ntest_bob if not allow with input.user as \"bob\"\n");

        var (exit, stdout, stderr) = PolicyCli.Run("test", "-b", Path.Combine(_cli.Dir, "bundle"));

        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.Equal("PASS: 2/2\n", stdout);
    }

    [Fact]
    public void PrintOutputIsShownUnderTheTest()
    {
        var file = _cli.Write("p_test.rego", "package p\n\ntest_quiet if true\n\ntest_loud if {\n\tprint(\"checking\", 1)\n\tprint(\"done\")\n\tfalse\n}\n");

        var (exit, stdout, _) = PolicyCli.Run("test", _cli.Dir);
        var json = PolicyCli.Run("test", "--format", "json", "--run", "loud", _cli.Dir).Out;

        Assert.Equal(2, exit);
        Assert.Equal(
            $"""
            {file}:
            data.p.test_loud: FAIL (1.5ms)

              checking 1
              done

            --------------------------------------------------------------------------------
            PASS: 1/2
            FAIL: 1/2

            """,
            stdout);
        Assert.Contains($"\"duration\": 1500000,\n    \"output\": \"{Convert.ToBase64String("checking 1\ndone\n"u8)}\"\n", json, StringComparison.Ordinal);
    }

    [Fact]
    public void NoTestsFoundFails()
    {
        _cli.Write("p.rego", "package p\n\nallow := true\n");

        var (exit, stdout, _) = PolicyCli.Run("test", _cli.Dir);

        Assert.Equal(1, exit);
        Assert.Equal("no test_ rules found\n", stdout);
    }

    [Fact]
    public void ParseErrorFailsBeforeRunningTests()
    {
        var bad = _cli.Write("bad_test.rego", "package t\n\ntest_x if {\n");

        var (exit, stdout, stderr) = PolicyCli.Run("test", _cli.Dir);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"{bad}:4:1: rego_parse_error: unexpected eof token\n", stderr);
    }

    [Fact]
    public void EveryCompileErrorIsListed()
    {
        var policy = _cli.Write("p_test.rego", "package p\n\ntest_a if x\n\ntest_b if y\n");

        var (exit, _, stderr) = PolicyCli.Run("test", _cli.Dir);

        Assert.Equal(1, exit);
        Assert.Equal(
            $"2 errors occurred:\n{policy}:3:11: rego_unsafe_var_error: var x is unsafe\n{policy}:5:11: rego_unsafe_var_error: var y is unsafe\n",
            stderr);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(150, "150ns")]
    [InlineData(1_000, "1µs")]
    [InlineData(268_500, "268.5µs")]
    [InlineData(1_088_000, "1.088ms")]
    [InlineData(24_609_500, "24.6095ms")]
    [InlineData(2_500_000_000, "2.5s")]
    [InlineData(90_000_000_000, "1m30s")]
    [InlineData(3_723_500_000_000, "1h2m3.5s")]
    [InlineData(3_600_000_000_000, "1h0m0s")]
    public void DurationsPrintAsGoDoes(long ns, string text) => Assert.Equal(text, GoDurationText.Format(ns));

    // Go's time.ParseDuration, the reader of opa's --timeout: -1 stands for "refused".
    [Theory]
    [InlineData("0", 0)]
    [InlineData("-0", 0)]
    [InlineData("100ms", 100_000_000)]
    [InlineData("1m30s", 90_000_000_000)]
    [InlineData("1.5h", 5_400_000_000_000)]
    [InlineData(".5s", 500_000_000)]
    [InlineData("2us", 2_000)]
    [InlineData("2µs", 2_000)]
    [InlineData("7ns", 7)]
    [InlineData("+1s", 1_000_000_000)]
    [InlineData("-1s", -1_000_000_000)]
    [InlineData("2562047h", 9_223_369_200_000_000_000)]
    [InlineData("2562048h", -1)]
    [InlineData("", -1)]
    [InlineData("5", -1)]
    [InlineData("s", -1)]
    [InlineData(".s", -1)]
    [InlineData("1..5s", -1)]
    [InlineData("1d", -1)]
    [InlineData("1 s", -1)]
    public void DurationsParseAsGoDoes(string text, long expected)
    {
        var ok = GoDurationText.TryParse(text, out var ns);
        Assert.Equal(expected != -1, ok);
        Assert.Equal(ok ? expected : 0, ns);
    }

    // opa test's --timeout (default 5s) holds per test: a test past it is an ERROR showing the limit, the others run.
    [Fact]
    public void ATestPastTheTimeoutIsAnError()
    {
        var tests = _cli.Write("slow_test.rego", """
            package slow

            test_fast if true

            test_pairs if count([1 | some a in numbers.range(1, 3000); some b in numbers.range(1, 3000)]) > 0

            test_steps if count([x | some x in numbers.range(1, 100)]) == 100
            """);

        var (exit, stdout, stderr) = PolicyCli.Run("test", "--timeout", "100ms", _cli.Dir);
        var (stepsExit, stepsOut, _) = PolicyCli.Run("test", "--timeout", "0", "--max-steps", "50", "--run", "test_steps", _cli.Dir);

        Assert.Equal(2, exit);
        Assert.Equal("", stderr);
        Assert.Equal(
            $"""
            {tests}:
            data.slow.test_pairs: ERROR (1.5ms)
              eval_cancel_error: evaluation exceeded the time limit of 100ms (--timeout)
            --------------------------------------------------------------------------------
            PASS: 2/3
            ERROR: 1/3

            """,
            stdout);
        Assert.Equal(2, stepsExit);
        Assert.Contains("  eval_cancel_error: evaluation exceeded the step limit (50)\n", stepsOut, StringComparison.Ordinal);
    }

    [Fact]
    public void BadTimeoutIsRefused()
    {
        _cli.Write("a_test.rego", "package a\n\ntest_one if true\n");

        var (exit, _, stderr) = PolicyCli.Run("test", "--timeout", "soon", _cli.Dir);

        Assert.Equal(1, exit);
        Assert.Equal("invalid argument \"soon\" for \"--timeout\" flag: time: invalid duration \"soon\"", stderr.Split('\n')[0]);
    }
}
