using System.Net;
using AgentFabric.Authorization;
using AgentFabric.PolicyServer.Envoy;
using AgentFabric.Rego;
using AgentFabric.Testing;
using Envoy.Service.Auth.V3;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFabric.PolicyServer.Tests.Envoy;

/// <summary>A real Check server on 127.0.0.1 (Kestrel, h2c) deciding with one Rego module, and a generated gRPC client
/// talking to it.</summary>
internal sealed class EnvoyCheckServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private EnvoyCheckServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        Client = new global::Envoy.Service.Auth.V3.Authorization.AuthorizationClient(_channel);
    }

    public int Port { get; }

    public global::Envoy.Service.Auth.V3.Authorization.AuthorizationClient Client { get; }

    public static async Task<EnvoyCheckServer> StartAsync(string rego, Action<EnvoyExtAuthzOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var engine = new RegoEngine();
        var store = new PolicyStore(engine, engine.Compile([new RegoModuleSource("policy.rego", rego)]));
        var port = LoopbackPorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.ListenEnvoyExtAuthz(IPAddress.Loopback, port));
        builder.Services.AddSingleton<IPolicyDecisionPoint>(new EmbeddedPolicyDecisionPoint(store));
        builder.Services.AddEnvoyExtAuthz(configure);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapEnvoyExtAuthz();
        await app.StartAsync();
        return new EnvoyCheckServer(app, port);
    }

    /// <summary>A CheckRequest for an HTTP request as Envoy sends it (lower-case header names).</summary>
    public static CheckRequest Request(string method, string path, IDictionary<string, string>? headers = null, string body = "", string principal = "")
    {
        var http = new AttributeContext.Types.HttpRequest { Method = method, Path = path, Body = body, Host = "api.example.org", Protocol = "HTTP/1.1" };
        if (headers is not null)
        {
            http.Headers.Add(headers);
        }

        var request = new CheckRequest
        {
            Attributes = new AttributeContext
            {
                Request = new AttributeContext.Types.Request { Http = http },
                Source = new AttributeContext.Types.Peer { Principal = principal },
            },
        };
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
