namespace AgentFabric.Cli.Tests.Policy;

public sealed class PolicyTestCommandTests : IDisposable
{
    private readonly PolicyCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void AllPassingTestsExitZero()
    {
        var file = _cli.Write("authz_test.rego", """
            package authz

            allow if input.user == "alice"

            test_alice_allowed if allow with input as {"user": "alice"}

            test_bob_denied if not allow with input as {"user": "bob"}
            """);

        var (exit, stdout, stderr) = PolicyCli.Run("test", _cli.Dir);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Equal(
            $"""
            {file}:
            data.authz.test_alice_allowed: PASS
            data.authz.test_bob_denied: PASS
            --------------------------------------------------------------------------------
            PASS: 2/2

            """,
            stdout);
    }

    [Fact]
    public void FailuresErrorsAndTodosAreReportedPerTestAndExitNonZero()
    {
        var policy = _cli.Write("a/authz.rego", """
            package authz

            allow if input.user == "alice"

            v := 1

            v := 2 if input.conflict
            """);
        var tests = _cli.Write("b/authz_test.rego", """
            package authz_test

            import data.authz

            test_alice_allowed if authz.allow with input as {"user": "alice"}

            test_bob_allowed if authz.allow with input as {"user": "bob"}

            test_value_is_false := false

            test_conflict if authz.v == 1 with input as {"conflict": true}

            todo_test_later if false

            test_function(x) := x
            """);

        var (exit, stdout, _) = PolicyCli.Run("test", _cli.Dir);

        Assert.Equal(2, exit);
        Assert.Equal(
            $"""
            {tests}:
            data.authz_test.test_alice_allowed: PASS
            data.authz_test.test_bob_allowed: FAIL
            data.authz_test.test_value_is_false: FAIL
            data.authz_test.test_conflict: ERROR
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
}
