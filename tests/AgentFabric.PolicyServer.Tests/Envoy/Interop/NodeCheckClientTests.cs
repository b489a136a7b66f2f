using System.Diagnostics;
using System.Text.Json;

namespace AgentFabric.PolicyServer.Tests.Envoy.Interop;

/// <summary>Interop: a gRPC client nobody here wrote (@grpc/grpc-js + @grpc/proto-loader loading Envoy's published
/// external_auth.proto) calls our Check service.</summary>
public sealed class NodeCheckClientTests
{
    private const string Policy = """
        package envoy.authz

        default allow := {"allowed": false, "http_status": 401, "body": "who are you?", "headers": {"www-authenticate": "SPIFFE"}}

        allow := {"allowed": true, "headers": {"x-caller": input.attributes.source.principal, "x-lang": input.parsed_query.lang[0]}} if {
          startswith(input.attributes.source.principal, "spiffe://example.org/")
          input.parsed_path == ["people"]
          input.parsed_body.firstname == "Charlie"
        }
        """;

    private const string AllowedRequest = """
        {"attributes": {
          "source": {"principal": "spiffe://example.org/ns/prod/sa/frontend", "address": {"socketAddress": {"address": "10.0.0.7", "portValue": 61402}}},
          "request": {"http": {"method": "POST", "path": "/people?lang=en", "headers": {"content-type": "application/json"}, "body": "{\"firstname\": \"Charlie\"}"}}
        }}
        """;

    private const string DeniedRequest = """
        {"attributes": {"source": {"principal": "spiffe://evil.org/x"}, "request": {"http": {"method": "GET", "path": "/people"}}}}
        """;

    [NodeFact]
    public async Task NodeClient_GetsOkResponse()
    {
        await using var server = await EnvoyCheckServer.StartAsync(Policy);

        var output = await RunClientAsync(server.Port, AllowedRequest);

        Assert.Equal(
            """{"response":{"status":{},"okResponse":{"headers":[{"header":{"key":"x-caller","value":"spiffe://example.org/ns/prod/sa/frontend"}},{"header":{"key":"x-lang","value":"en"}}]},"httpResponse":"okResponse"}}""",
            output);
    }

    [NodeFact]
    public async Task NodeClient_GetsDeniedResponse()
    {
        await using var server = await EnvoyCheckServer.StartAsync(Policy);

        var output = await RunClientAsync(server.Port, DeniedRequest);

        Assert.Equal(
            """{"response":{"status":{"code":7},"deniedResponse":{"status":{"code":"Unauthorized"},"headers":[{"header":{"key":"www-authenticate","value":"SPIFFE"}}],"body":"who are you?"},"httpResponse":"deniedResponse"}}""",
            output);
    }

    [NodeFact]
    public async Task NodeClient_GetsErrorForUndefinedDecision()
    {
        await using var server = await EnvoyCheckServer.StartAsync("package envoy.authz\n\nallow if input.parsed_path == [\"never\"]\n");

        var output = await RunClientAsync(server.Port, DeniedRequest);

        Assert.Equal("""{"error":{"code":2,"details":"envoy ext_authz: undefined decision: data.envoy.authz.allow has no value"}}""", output);
    }

    private static async Task<string> RunClientAsync(int port, string requestJson)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(root, "tests", "AgentFabric.PolicyServer.Tests", "Envoy", "Interop", "check-client.js"));
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(JsonDocument.Parse(requestJson).RootElement.GetRawText());
        // The client and Envoy's protos come from the npm packages the build restored (Envoy/proto-source).
        start.Environment["NODE_PATH"] = Path.Combine(root, "src", "AgentFabric.PolicyServer", "Envoy", "proto-source", "node_modules");
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await stderr}");
        return (await stdout).Trim();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentFabric.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (AgentFabric.slnx) not found above " + AppContext.BaseDirectory);
    }
}
