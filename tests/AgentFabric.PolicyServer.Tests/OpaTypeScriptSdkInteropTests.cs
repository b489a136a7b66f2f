using System.Diagnostics;
using AgentFabric.PolicyServer.Hosting;
using Xunit.Abstractions;

namespace AgentFabric.PolicyServer.Tests;

/// <summary>OPA's own TypeScript SDK (<c>@open-policy-agent/opa</c>, a client nobody here wrote) evaluating through
/// our server: <c>interop/evaluate.mjs</c> run by <c>node</c>. Skipped, and says so, when node or npm is missing.</summary>
public sealed class OpaTypeScriptSdkInteropTests(ITestOutputHelper output)
{
    private const string Policy = """
        package authz

        default allow := false

        allow if input.subject == "alice"

        roles := data.roles
        """;

    private const string Errors = """
        package authz_errors

        conflict = 1 if input.subject
        conflict = 2 if input.subject
        """;

    [Fact]
    public async Task OpasSdkEvaluatesThroughOurServer()
    {
        var dir = FindInteropDirectory();
        if (Which("node") is null || Which("npm") is null)
        {
            output.WriteLine("SKIPPED: node or npm is not installed; OPA's TypeScript SDK interop test did not run.");
            return;
        }

        if (!Directory.Exists(Path.Combine(dir, "node_modules")))
        {
            var (code, text) = await RunAsync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], dir);
            if (code != 0)
            {
                output.WriteLine($"SKIPPED: npm ci failed (no registry?): {text}");
                return;
            }
        }

        await using var server = await RunningPolicyServer.StartAsync(new PolicyServerOptions
        {
            Authentication = PolicyServerAuthentication.Token,
            Tokens = ["interop-reader"],
            AdminTokens = ["interop-admin"],
            DefaultDecision = "authz/allow",
        });
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Put, "v1/policies/authz", Policy, "text/plain", "interop-admin")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Put, "v1/policies/errors", Errors, "text/plain", "interop-admin")).Status);
        Assert.Equal(204, (await server.SendAsync(HttpMethod.Put, "v1/data/roles", """{"admin":["read","write"]}""", token: "interop-admin")).Status);

        var (exit, stdout) = await RunAsync("node", ["evaluate.mjs", server.Address.ToString().TrimEnd('/'), "interop-reader"], dir);
        output.WriteLine(stdout);
        Assert.Equal(0, exit);
        Assert.Equal(
            """{"alice":{"value":true},"bob":{"value":false},"noInput":{"value":{"admin":["read","write"]}},"document":{"value":{"allow":true,"roles":{"admin":["read","write"]}}},"mapped":{"value":false},"defaultDecision":{"value":true},"evalError":{"error":"internal_error","errors":["eval_conflict_error"]},"unauthenticated":{"error":"SDKError","status":401}}""",
            stdout.Trim());
    }

    private static string FindInteropDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "tests", "AgentFabric.PolicyServer.Tests", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/AgentFabric.PolicyServer.Tests/interop not found above " + AppContext.BaseDirectory);
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, program))
            .FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] args, string dir)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
