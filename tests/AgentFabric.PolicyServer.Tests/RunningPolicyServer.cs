using System.Text;
using AgentFabric.PolicyServer.Hosting;
using AgentFabric.PolicyServer.State;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.PolicyServer.Tests;

/// <summary>A real policy server on 127.0.0.1 (random port) and a keep-alive HttpClient to it.</summary>
internal sealed class RunningPolicyServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningPolicyServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
        Runtime = app.Services.GetRequiredService<PolicyServerRuntime>();
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public PolicyServerRuntime Runtime { get; }

    public static async Task<RunningPolicyServer> StartAsync(PolicyServerOptions? options = null, TimeProvider? time = null)
    {
        var port = LoopbackPorts.Next();
        options = (options ?? new PolicyServerOptions()) with { Address = $"127.0.0.1:{port}" };
        var app = PolicyServerHost.Create(options, time, logging: _ => { });
        await app.StartAsync();
        return new RunningPolicyServer(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json", string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task PutPolicyAsync(string id, string rego)
    {
        var (status, body) = await SendAsync(HttpMethod.Put, "v1/policies/" + id, rego, "text/plain");
        Assert.True(status == 200, body);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
