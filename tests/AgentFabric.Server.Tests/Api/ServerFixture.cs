using System.Collections;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Api;
using AgentFabric.Server.Config;
using AgentFabric.Server.Hosting;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tls;
using AgentFabric.Testing;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Api;

/// <summary>A real server (Kestrel, gRPC on loopback and a Unix socket, SQLite, disk keys) in a temp dir.</summary>
public sealed class ServerFixture : IAsyncDisposable
{
    private readonly List<GrpcChannel> _channels = [];

    private ServerFixture(TempDirectory dir, ServerSettings settings, ServerHost host, TimeProvider time)
    {
        Dir = dir;
        Settings = settings;
        Host = host;
        Time = time;
    }

    public TempDirectory Dir { get; }
    public ServerSettings Settings { get; private set; }
    public ServerHost Host { get; private set; }
    public TimeProvider Time { get; }
    public TrustDomain TrustDomain => Settings.TrustDomain;

    public static int FreePort() => LoopbackPorts.Next();

    public static async Task<ServerFixture> StartAsync(TimeProvider? time = null, string extraJson = "", TempDirectory? dir = null, int attestationLimit = 1000, string trustDomain = "agentvault.com", ListLoggerProvider? logs = null)
    {
        dir ??= new TempDirectory();
        var json = $$"""
            {
              "trust_domain": "{{trustDomain}}",
              "bind_address": "127.0.0.1",
              "bind_port": {{FreePort()}},
              "socket_path": "{{dir.Combine("sock/api.sock")}}",
              "data_dir": "{{dir.Combine("data")}}",
              "health_checks": { "bind_address": "127.0.0.1", "bind_port": {{FreePort()}} },
              "rate_limit": { "attestation": {{attestationLimit}} }
              {{extraJson}}
            }
            """;
        var settings = ServerConfigLoader.Load(json, new Hashtable());
        time ??= TimeProvider.System;
        var host = await ServerHost.StartAsync(settings, b => { if (logs is not null) { b.AddProvider(logs); } }, time);
        return new ServerFixture(dir, settings, host, time);
    }

    public async Task RestartAsync()
    {
        foreach (var c in _channels)
        {
            c.Dispose();
        }

        _channels.Clear();
        await Host.DisposeAsync();
        Host = await ServerHost.StartAsync(Settings, _ => { }, Time);
    }

    public V1.AdminService.AdminServiceClient Admin()
    {
        var channel = AdminChannel.Create(Settings.SocketPath);
        _channels.Add(channel);
        return new V1.AdminService.AdminServiceClient(channel);
    }

    public X509Bundle Bundle() => new(TrustDomain, Host.Runtime.Ca.BundleAuthorities);

    /// <summary>An Agent API client with no client certificate (for attestation).</summary>
    public V1.AgentService.AgentServiceClient AnonymousAgent() => AgentClient(null);

    public V1.AgentService.AgentServiceClient AgentClient(X509Svid? nodeSvid)
    {
        var serverId = SpiffeId.FromSegments(TrustDomain, "spire", "server");
        var handler = new SocketsHttpHandler
        {
            SslOptions = nodeSvid is null
                ? SpiffeTls.CreateTlsClientOptions(Bundle(), SpiffeAuthorizer.Id(serverId), Time)
                : SpiffeTls.CreateMtlsClientOptions(nodeSvid, Bundle(), SpiffeAuthorizer.Id(serverId), Time),
        };
        var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{Settings.BindPort}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _channels.Add(channel);
        return new V1.AgentService.AgentServiceClient(channel);
    }

    /// <summary>An Admin API client over mutual TLS on the Agent API port with <paramref name="svid"/>.</summary>
    public V1.AdminService.AdminServiceClient AdminOverTls(X509Svid svid)
    {
        var serverId = SpiffeId.FromSegments(TrustDomain, "spire", "server");
        var handler = new SocketsHttpHandler { SslOptions = SpiffeTls.CreateMtlsClientOptions(svid, Bundle(), SpiffeAuthorizer.Id(serverId), Time) };
        var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{Settings.BindPort}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _channels.Add(channel);
        return new V1.AdminService.AdminServiceClient(channel);
    }

    public static byte[] Csr(ECDsa key) => new CertificateRequest("CN=agent", key, HashAlgorithmName.SHA256).CreateSigningRequest();

    /// <summary>Generates a token and attests with it; returns the node SVID (with its key) and the token.</summary>
    public async Task<(X509Svid Svid, string Token)> AttestAsync(string? aliasId = null)
    {
        var token = await Admin().CreateJoinTokenAsync(new V1.CreateJoinTokenRequest { Ttl = 600, AgentId = aliasId ?? string.Empty });
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var response = await AnonymousAgent().AttestAgentAsync(new V1.AttestAgentRequest
        {
            AttestationType = "join_token",
            Payload = ByteString.CopyFromUtf8(token.Value),
            Csr = ByteString.CopyFrom(Csr(key)),
        });
        var chain = response.Svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToArray();
        return (X509Svid.Create(chain, key), token.Value);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _channels)
        {
            c.Dispose();
        }

        await Host.DisposeAsync();
        Dir.Dispose();
    }
}
