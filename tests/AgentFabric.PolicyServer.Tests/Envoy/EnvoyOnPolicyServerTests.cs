using AgentFabric.PolicyServer.Hosting;
using AgentFabric.Testing;
using Envoy.Service.Auth.V3;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace AgentFabric.PolicyServer.Tests.Envoy;

/// <summary>The policy server with its ext_authz listener: Check answers from the same store the REST API writes.</summary>
public sealed class EnvoyOnPolicyServerTests
{
    [Fact]
    public async Task CheckSeesPoliciesWrittenThroughTheRestApi()
    {
        var rest = LoopbackPorts.Next();
        var grpc = LoopbackPorts.Next();
        var app = PolicyServerHost.Create(new PolicyServerOptions { Address = $"127.0.0.1:{rest}", EnvoyAddress = $"127.0.0.1:{grpc}" }, logging: _ => { });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{rest}/") };
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpc}");
            var client = new global::Envoy.Service.Auth.V3.Authorization.AuthorizationClient(channel);
            var request = EnvoyCheckServer.Request("GET", "/reports/7", principal: "spiffe://example.org/agent/researcher");

            // No policy yet: the decision is undefined, answered as OPA-Envoy does, with an error Envoy turns into a 403.
            var before = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await client.CheckAsync(request));
            Assert.Equal(Grpc.Core.StatusCode.Unknown, before.StatusCode);
            Assert.Equal("envoy ext_authz: undefined decision: data.envoy.authz.allow has no value", before.Status.Detail);

            using var put = await http.PutAsync("v1/policies/authz", new StringContent("""
                package envoy.authz

                default allow := false

                allow if {
                    input.attributes.source.principal == "spiffe://example.org/agent/researcher"
                    input.parsed_path == ["reports", "7"]
                }
                """));
            Assert.Equal(200, (int)put.StatusCode);

            var after = await client.CheckAsync(request);
            Assert.Equal(0, after.Status.Code);
            Assert.Null(after.DeniedResponse);

            // The REST listener does not serve the Check service, and the gRPC listener does not serve OPA's API.
            using var restChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{rest}");
            var wrongPort = new global::Envoy.Service.Auth.V3.Authorization.AuthorizationClient(restChannel);
            await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await wrongPort.CheckAsync(request));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public void ABadEnvoyAddressIsRefusedBeforeListening()
    {
        var e = Assert.Throws<ArgumentException>(() => PolicyServerHost.Create(new PolicyServerOptions { Address = "127.0.0.1:0", EnvoyAddress = "nohost" }));
        Assert.StartsWith("invalid address 'nohost': want host:port", e.Message, StringComparison.Ordinal);
    }
}
