using System.Text;
using AgentFabric.PolicyServer.Hosting;
using AgentFabric.PolicyServer.State;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.PolicyServer.Benchmarks;

/// <summary>A policy server on 127.0.0.1 holding the benchmark policy, and a keep-alive client to it.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    public const string Policy = """
        package bench.authz

        default allow := false

        allow if {
            some role in data.bench.users[input.user].roles
            input.action in data.bench.roles[role]
        }
        """;

    public const string Input = """{"input":{"user":"alice","action":"write"}}""";

    private readonly WebApplication _app;

    private BenchServer(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
        Runtime = app.Services.GetRequiredService<PolicyServerRuntime>();
    }

    public HttpClient Client { get; }

    public PolicyServerRuntime Runtime { get; }

    public static async Task<BenchServer> StartAsync(PolicyServerOptions options)
    {
        var port = LoopbackPorts.Next();
        var app = PolicyServerHost.Create(options with { Address = $"127.0.0.1:{port}" }, logging: _ => { });
        await app.StartAsync();
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var server = new BenchServer(app, client);
        await Send(client, HttpMethod.Put, "v1/policies/bench", Policy, "text/plain");
        await Send(client, HttpMethod.Put, "v1/data/bench", """{"users":{"alice":{"roles":["editor"]}},"roles":{"editor":["read","write"]}}""", "application/json");
        return server;
    }

    public async Task<string> DecideAsync()
    {
        using var content = new StringContent(Input, Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("v1/data/bench/authz/allow", content);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task Send(HttpClient client, HttpMethod method, string path, string body, string type)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, type) };
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
