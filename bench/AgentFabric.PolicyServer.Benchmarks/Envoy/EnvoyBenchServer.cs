using System.Net;
using AgentFabric.Authorization;
using AgentFabric.PolicyServer.Envoy;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;
using Envoy.Service.Auth.V3;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFabric.PolicyServer.Benchmarks.Envoy;

/// <summary>The Check service on 127.0.0.1 (h2c) with an OPA-Envoy-style policy, one gRPC channel to it, and the same
/// decision point for the in-process baseline.</summary>
internal sealed class EnvoyBenchServer : IAsyncDisposable
{
    // The shape of OPA-Envoy's tutorial policy: method + path rules, the caller's SPIFFE ID, a parsed JSON body.
    private const string Policy = """
        package envoy.authz

        default allow := false

        allow if {
          startswith(input.attributes.source.principal, "spiffe://example.org/ns/prod/")
          input.attributes.request.http.method == "POST"
          input.parsed_path == ["people"]
          input.parsed_body.firstname == "Charlie"
        }

        allow if {
          input.attributes.request.http.method == "GET"
          input.parsed_path[0] == "public"
        }
        """;

    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private EnvoyBenchServer(WebApplication app, int port, IPolicyDecisionPoint pdp)
    {
        _app = app;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        Client = new global::Envoy.Service.Auth.V3.Authorization.AuthorizationClient(_channel);
        Pdp = pdp;
        Options = new EnvoyExtAuthzOptions();
        Options.Validate();
        Input = EnvoyCheckInput.Build(Request, Options);
    }

    public global::Envoy.Service.Auth.V3.Authorization.AuthorizationClient Client { get; }

    public IPolicyDecisionPoint Pdp { get; }

    public EnvoyExtAuthzOptions Options { get; }

    public DecisionPath Path => Options.DecisionPath;

    /// <summary>The input the Check service builds for <see cref="Request"/>.</summary>
    public ObjectValue Input { get; }

    public static CheckRequest Request { get; } = BuildRequest();

    public static async Task<EnvoyBenchServer> StartAsync()
    {
        var engine = new RegoEngine();
        var pdp = new EmbeddedPolicyDecisionPoint(new PolicyStore(engine, engine.Compile([new RegoModuleSource("policy.rego", Policy)])));
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.ListenEnvoyExtAuthz(IPAddress.Loopback, port));
        builder.Services.AddSingleton<IPolicyDecisionPoint>(pdp);
        builder.Services.AddEnvoyExtAuthz();
        var app = builder.Build();
        app.MapEnvoyExtAuthz();
        await app.StartAsync().ConfigureAwait(false);
        var server = new EnvoyBenchServer(app, port, pdp);
        var check = await server.Client.CheckAsync(Request);
        if (check.Status.Code != 0)
        {
            throw new InvalidOperationException($"bad setup: Check answered {check.Status.Code}");
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static CheckRequest BuildRequest()
    {
        var http = new AttributeContext.Types.HttpRequest
        {
            Id = "13519049518330544501",
            Method = "POST",
            Path = "/people?lang=en",
            Host = "api.example.org",
            Protocol = "HTTP/1.1",
            Body = """{"firstname":"Charlie", "lastname":"Opa"}""",
            Size = 41,
        };
        http.Headers.Add(new Dictionary<string, string>
        {
            [":authority"] = "api.example.org",
            [":method"] = "POST",
            [":path"] = "/people?lang=en",
            ["accept"] = "*/*",
            ["content-length"] = "41",
            ["content-type"] = "application/json",
            ["user-agent"] = "curl/8.5.0",
            ["x-forwarded-proto"] = "https",
            ["x-request-id"] = "7bca5c86-bf55-432c-b212-8c0f1dc999ec",
        });
        return new CheckRequest
        {
            Attributes = new AttributeContext
            {
                Source = new AttributeContext.Types.Peer
                {
                    Principal = "spiffe://example.org/ns/prod/sa/frontend",
                    Address = new global::Envoy.Config.Core.V3.Address
                    {
                        SocketAddress = new global::Envoy.Config.Core.V3.SocketAddress { Address = "10.0.0.7", PortValue = 61402 },
                    },
                },
                Request = new AttributeContext.Types.Request { Http = http },
            },
        };
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
