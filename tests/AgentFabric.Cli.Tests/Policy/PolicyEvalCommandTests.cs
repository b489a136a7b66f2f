namespace AgentFabric.Cli.Tests.Policy;

public sealed class PolicyEvalCommandTests : IDisposable
{
    private const string Authz = """
        package authz

        default allow := false

        allow if input.user in data.admins

        roles := {"admin", "viewer"}
        """;

    private readonly PolicyCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void PathQueryPrintsOpaEvalDocument()
    {
        var policy = _cli.Write("authz.rego", Authz);
        var data = _cli.Write("data.json", """{"admins": ["alice"]}""");
        var input = _cli.Write("input.json", """{"user": "alice"}""");

        var (exit, stdout, stderr) = PolicyCli.Run("eval", "-d", policy, "-d", data, "-i", input, "data.authz.allow");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Equal(
            """
            {
              "result": [
                {
                  "expressions": [
                    {
                      "value": true,
                      "text": "data.authz.allow",
                      "location": {
                        "row": 1,
                        "col": 1
                      }
                    }
                  ]
                }
              ]
            }

            """,
            stdout);
    }

    [Fact]
    public void QueryWithVariablesPrintsOneResultPerSolutionWithBindings()
    {
        _cli.Write("authz.rego", Authz);

        var (exit, stdout, _) = PolicyCli.Run("eval", "-d", _cli.Dir, "some r in data.authz.roles; r != \"nobody\"");

        Assert.Equal(0, exit);
        var expected = string.Join(",\n", new[] { "admin", "viewer" }.Select(r => $$"""
                {
                  "expressions": [
                    {
                      "value": true,
                      "text": "some r in data.authz.roles",
                      "location": {
                        "row": 1,
                        "col": 1
                      }
                    },
                    {
                      "value": true,
                      "text": "r != \"nobody\"",
                      "location": {
                        "row": 1,
                        "col": 29
                      }
                    }
                  ],
                  "bindings": {
                    "r": "{{r}}"
                  }
                }
            """));
        Assert.Equal($"{{\n  \"result\": [\n{expected}\n  ]\n}}\n", stdout);
    }

    [Fact]
    public void ExpressionsReportTheirOwnValuesTextsAndLocations()
    {
        _cli.Write("authz.rego", Authz);

        var (exit, stdout, _) = PolicyCli.Run("eval", "-d", _cli.Dir, "x := data.authz.roles; y = 2\nnot data.authz.allow");

        Assert.Equal(0, exit);
        Assert.Equal(
            """
            {
              "result": [
                {
                  "expressions": [
                    {
                      "value": true,
                      "text": "x := data.authz.roles",
                      "location": {
                        "row": 1,
                        "col": 1
                      }
                    },
                    {
                      "value": true,
                      "text": "y = 2",
                      "location": {
                        "row": 1,
                        "col": 24
                      }
                    },
                    {
                      "value": true,
                      "text": "not data.authz.allow",
                      "location": {
                        "row": 2,
                        "col": 1
                      }
                    }
                  ],
                  "bindings": {
                    "x": [
                      "admin",
                      "viewer"
                    ],
                    "y": 2
                  }
                }
              ]
            }

            """,
            stdout);
    }

    [Fact]
    public void V0ModulesNeedTheCompatibilityFlag()
    {
        var policy = _cli.Write("v0.rego", "package old\n\nallow { input.user == \"alice\" }\n");
        var input = _cli.Write("input.json", """{"user": "alice"}""");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-d", policy, "-i", input, "data.old.allow");
        Assert.Equal(1, exit);
        Assert.Equal($"{policy}:3:7: rego_parse_error: `if` keyword is required before rule body\n", stderr);

        (exit, var stdout, _) = PolicyCli.Run("eval", "--v0-compatible", "-d", policy, "-i", input, "data.old.allow");
        Assert.Equal(0, exit);
        Assert.Contains("\"value\": true", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void UndefinedQueryPrintsEmptyDocument()
    {
        _cli.Write("authz.rego", Authz);

        var (exit, stdout, _) = PolicyCli.Run("eval", "-d", _cli.Dir, "data.authz.missing");

        Assert.Equal(0, exit);
        Assert.Equal("{}\n", stdout);
    }

    [Fact]
    public void DataFilesInDirectoriesArePlacedAtTheirPath()
    {
        _cli.Write("authz.rego", Authz);
        _cli.Write("teams/red/data.json", """{"lead": "carol"}""");

        var (exit, stdout, _) = PolicyCli.Run("eval", "-d", _cli.Dir, "data.teams.red.lead");

        Assert.Equal(0, exit);
        Assert.Contains("\"value\": \"carol\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseErrorPrintsFileLineColumnAndFails()
    {
        var bad = _cli.Write("bad.rego", "package bad\n\nallow if {\n\tinput.user ==\n}\n");

        var (exit, stdout, stderr) = PolicyCli.Run("eval", "-d", bad, "data.bad.allow");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"{bad}:5:1: rego_parse_error: unexpected }} token\n", stderr);
    }

    [Fact]
    public void QueryParseErrorIsReportedAgainstTheQuery()
    {
        _cli.Write("authz.rego", Authz);

        var (exit, _, stderr) = PolicyCli.Run("eval", "-d", _cli.Dir, "x = 1; y :=");

        Assert.Equal(1, exit);
        Assert.Equal("query:1:12: rego_parse_error: unexpected eof token\n", stderr);
    }

    [Fact]
    public void CompileErrorIsReported()
    {
        var policy = _cli.Write("p.rego", "package p\n\nallow if x == 1\n");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-d", policy, "data.p.allow");

        Assert.Equal(1, exit);
        Assert.Equal($"{policy}:3:10: rego_unsafe_var_error: var x is unsafe\n", stderr);
    }

    [Fact]
    public void ConflictAtEvaluationIsReported()
    {
        var policy = _cli.Write("p.rego", "package p\n\nv := 1\n\nv := 2 if true\n");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-d", policy, "data.p.v");

        Assert.Equal(1, exit);
        Assert.Equal($"{policy}:5:1: eval_conflict_error: complete rules must not produce multiple outputs\n", stderr);
    }

    [Fact]
    public void MissingInputFileIsReported()
    {
        _cli.Write("authz.rego", Authz);
        var missing = Path.Combine(_cli.Dir, "nope.json");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-d", _cli.Dir, "-i", missing, "data.authz.allow");

        Assert.Equal(1, exit);
        Assert.Equal($"{missing}: no such file\n", stderr);
    }

    [Fact]
    public void InvalidInputJsonIsReported()
    {
        _cli.Write("authz.rego", Authz);
        var input = _cli.Write("in/input.txt", "{\"user\": ");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-d", Path.Combine(_cli.Dir, "authz.rego"), "-i", input, "data.authz.allow");

        Assert.Equal(1, exit);
        Assert.Equal($"{input}:1:10: invalid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.\n", stderr);
    }

    [Fact]
    public void MissingDataPathIsReported()
    {
        var missing = Path.Combine(_cli.Dir, "absent");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-d", missing, "data");

        Assert.Equal(1, exit);
        Assert.Equal($"{missing}: no such file or directory\n", stderr);
    }

    [Fact]
    public void ConflictingDataFilesAreReported()
    {
        _cli.Write("a/data.json", """{"x": 1}""");
        var second = _cli.Write("b.json", """{"a": {"x": 2}}""");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-d", _cli.Dir, "data");

        Assert.Equal(1, exit);
        Assert.Equal($"{second}: data.a.x conflicts with data loaded from another file\n", stderr);
    }

    [Fact]
    public void StrictModeRejectsAnUnusedAssignment()
    {
        var policy = _cli.Write("strict.rego", "package strict\n\nallow if {\n\tuser := input.user\n\tinput.user == \"admin\"\n}\n");

        var (exit, _, stderr) = PolicyCli.Run("eval", "--strict", "-d", policy, "data.strict.allow");
        var (laxExit, laxOut, _) = PolicyCli.Run("eval", "-d", policy, "data.strict.allow");

        Assert.Equal(1, exit);
        Assert.Equal($"{policy}:4:2: rego_compile_error: assigned var user unused\n", stderr);
        Assert.Equal(0, laxExit);
        Assert.Equal("{}\n", laxOut);
    }
}
