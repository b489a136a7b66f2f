using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>A real gRPC server (Kestrel, HTTP/2 without TLS) hosting <see cref="FakeWorkloadApi"/> on a Unix socket in
/// a temp dir, or on 127.0.0.1.</summary>
internal sealed class WorkloadApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _directory;

    private WorkloadApiServer(WebApplication app, FakeWorkloadApi api, string address, string? directory)
    {
        _app = app;
        Api = api;
        Address = address;
        _directory = directory;
    }

    public FakeWorkloadApi Api { get; }

    /// <summary>The endpoint URI (unix:///... or tcp://127.0.0.1:port).</summary>
    public string Address { get; }

    public static string NewSocketPath()
    {
        string dir = Path.Combine(Path.GetTempPath(), "af-wl-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, "api.sock");
    }

    public static Task<WorkloadApiServer> StartUnixAsync(FakeWorkloadApi? api = null, string? socketPath = null) =>
        StartAsync(api ?? new FakeWorkloadApi(), socketPath ?? NewSocketPath(), tcp: false);

    public static Task<WorkloadApiServer> StartTcpAsync(FakeWorkloadApi? api = null) =>
        StartAsync(api ?? new FakeWorkloadApi(), null, tcp: true);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the temp dir is unique per server.
            }
        }
    }

    private static async Task<WorkloadApiServer> StartAsync(FakeWorkloadApi api, string? socketPath, bool tcp)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(api);
        builder.WebHost.ConfigureKestrel(options =>
        {
            if (tcp)
            {
                options.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
            }
            else
            {
                options.ListenUnixSocket(socketPath!, l => l.Protocols = HttpProtocols.Http2);
            }
        });
        var app = builder.Build();
        app.MapGrpcService<FakeWorkloadApi>();
        await app.StartAsync();
        string address;
        if (tcp)
        {
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            address = "tcp://127.0.0.1:" + new Uri(bound).Port;
        }
        else
        {
            address = "unix://" + socketPath;
        }

        return new WorkloadApiServer(app, api, address, tcp ? null : Path.GetDirectoryName(socketPath));
    }
}
