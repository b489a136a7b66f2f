using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Agent.Tests.WorkloadApi;
using AgentFabric.Authorization;
using AgentFabric.Authorization.Bundles;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFabric.AspNetCore.Tests;

/// <summary>
/// Rotation under load (issue #16): a real node agent endpoint issues both workloads' X.509-SVIDs with a 30 s TTL
/// (rotated at half life), each service takes its own from a live Workload API <see cref="X509Source"/>, and a caller's
/// SPIFFE HttpClient calls the callee (mTLS, Rego requirement on the embedded PDP) without pause for 65 s, across at
/// least two rotations of each: no request may fail, and the callee must have seen new certificates on both sides of
/// the connection (its own served and the caller's presented).
/// </summary>
public sealed class RotationUnderLoadTests : AgentEndpointTestBase
{
    private const string Policy = """
        package rotation.authz

        default allow := false

        allow if input.caller.spiffe_id == "spiffe://example.org/agents/frontend"
        """;

    private static readonly TimeSpan s_load = TimeSpan.FromSeconds(65);

    [Fact]
    public async Task ContinuousCalls_AcrossTwoRotations_NeverFail_AndPresentNewCertificates()
    {
        Provider.SetEntries(
            new RegistrationEntry("frontend", SpiffeId.Parse("spiffe://example.org/agents/frontend"), [SelfProcess.UidSelector]) { X509SvidTtl = 30 },
            new RegistrationEntry("researcher", SpiffeId.Parse("spiffe://example.org/agents/researcher"), [SelfProcess.UidSelector]) { X509SvidTtl = 30 });
        await using var callerSource = await X509Source.CreateAsync(ClientOptions(), Pick("/agents/frontend"));
        await using var calleeSource = await X509Source.CreateAsync(ClientOptions(), Pick("/agents/researcher"));

        var port = LoopbackPorts.Next();
        var callee = WebApplication.CreateSlimBuilder();
        callee.Logging.ClearProviders();
        callee.WebHost.UseSpiffeMtls(new IPEndPoint(IPAddress.Loopback, port));
        callee.Services.AddSpiffeWorkload(o => o.UseSources(calleeSource, calleeSource));
        callee.Services.AddPolicyDecisionPoint(o => o.Mode = PolicyDecisionPointMode.Embedded);
        await using var calleeApp = callee.Build();
        var files = new BundleFiles();
        files.Add("/rotation/authz.rego", Encoding.UTF8.GetBytes(Policy));
        calleeApp.Services.GetRequiredService<BundleActivator>().Activate(PolicyBundle.Load("rotation", files));
        // Answers with the serials of the certificates this connection was set up with: the callee's own, the caller's.
        calleeApp.MapGet("/work", (HttpContext http) =>
            $"{http.Features.Get<ISslStreamFeature>()!.SslStream.LocalCertificate!.GetSerialNumberString()} {http.Features.Get<ISpiffePeerFeature>()!.Certificate!.SerialNumber}")
            .RequireAuthorization(p => p.RequireRegoDecision("rotation/authz/allow"));
        await calleeApp.StartAsync();

        var caller = Host.CreateApplicationBuilder();
        caller.Logging.ClearProviders();
        caller.Services.AddSpiffeWorkload(o => o.UseSources(callerSource, callerSource));
        caller.Services.AddSpiffeHttpClient("researcher", "spiffe://example.org/agents/researcher", o => o.ExchangeUserToken = false)
            .ConfigureHttpClient(c => c.BaseAddress = new Uri($"https://127.0.0.1:{port}/"));
        using var callerHost = caller.Build();
        await callerHost.StartAsync();
        var clients = callerHost.Services.GetRequiredService<IHttpClientFactory>();

        var served = new ConcurrentDictionary<string, int>();
        var presented = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var calls = 0;
        var until = DateTime.UtcNow + s_load;
        async Task Load()
        {
            using var client = clients.CreateClient("researcher");
            while (DateTime.UtcNow < until)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri("/work", UriKind.Relative));
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Enqueue($"{(int)response.StatusCode} {body}");
                        continue;
                    }

                    var serials = body.Split(' ');
                    served.AddOrUpdate(serials[0], 1, (_, n) => n + 1);
                    presented.AddOrUpdate(serials[1], 1, (_, n) => n + 1);
                    Interlocked.Increment(ref calls);
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue(e.Message + " " + e.InnerException?.Message);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Load)));
        await callerHost.StopAsync();
        await calleeApp.StopAsync();

        Assert.Empty(failures);
        Assert.True(calls > 100, $"only {calls} calls in {s_load}");
        // 65 s of 30 s SVIDs renewed at half life: the first SVID and at least two successors on each side.
        Assert.True(served.Count >= 3, $"the callee served {served.Count} certificates: {string.Join(", ", served)}");
        Assert.True(presented.Count >= 3, $"the caller presented {presented.Count} certificates: {string.Join(", ", presented)}");
    }

    private static Func<IReadOnlyList<X509Svid>, X509Svid> Pick(string path) =>
        svids => svids.First(s => s.Id.Path == path);
}
