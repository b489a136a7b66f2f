using System.Net;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tls;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFabric.AspNetCore.Tests;

/// <summary>A real ASP.NET Core workload on 127.0.0.1 set up with the SDK's two calls and static sources, and
/// HttpClients that connect to it with a chosen client SVID.</summary>
internal sealed class WorkloadUnderTest : IAsyncDisposable
{
    private WorkloadUnderTest(WebApplication app, int port, CapturedLogs logs)
    {
        App = app;
        BaseAddress = new Uri($"https://127.0.0.1:{port}/");
        Logs = logs;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public CapturedLogs Logs { get; }

    public static async Task<WorkloadUnderTest> StartAsync(
        IX509SvidSource svid,
        IX509BundleSource bundles,
        TimeProvider time,
        Action<WebApplication> map,
        IJwtSvidSource? jwtSvids = null,
        Action<SpiffeWorkloadOptions>? configure = null,
        Action<SpiffeMtlsOptions>? mtls = null,
        Action<IServiceCollection>? services = null)
    {
        var port = LoopbackPorts.Next();
        var logs = new CapturedLogs();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(time);
        builder.WebHost.UseSpiffeMtls(new IPEndPoint(IPAddress.Loopback, port), mtls);
        builder.Services.AddSpiffeWorkload(o =>
        {
            o.UseSources(svid, bundles, jwtSvids);
            configure?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new WorkloadUnderTest(app, port, logs);
    }

    /// <summary>The caller and the exchanged token's user and chain, for any authenticated SPIFFE caller.</summary>
    public static void MapWhoAmI(WebApplication app, string pattern = "/whoami", Action<RouteHandlerBuilder>? authorize = null)
    {
        var route = app.MapGet(pattern, (HttpContext http) =>
        {
            var caller = http.Features.Get<ISpiffeCallerFeature>()!;
            return Results.Json(new
            {
                caller = caller.Caller.ToString(),
                user = caller.Token?.Subject,
                chain = caller.Token?.Delegation.Select(d => d.ToString()).ToArray(),
                principal = http.User.Identity?.Name,
            });
        });
        if (authorize is null)
        {
            route.RequireAuthorization();
        }
        else
        {
            authorize(route);
        }
    }

    /// <summary>A client presenting <paramref name="clientSvid"/> (none when null) and accepting any server SVID that
    /// verifies against <paramref name="bundles"/>.</summary>
    public HttpClient Client(X509Svid? clientSvid, IX509BundleSource bundles, TimeProvider? time = null)
    {
        var ssl = clientSvid is null
            ? SpiffeTls.CreateTlsClientOptions(bundles, SpiffeAuthorizer.Any(), time)
            : SpiffeTls.CreateMtlsClientOptions(clientSvid, bundles, SpiffeAuthorizer.Any(), time);
        return new HttpClient(new SocketsHttpHandler { SslOptions = ssl }) { BaseAddress = BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
