using System.CommandLine;
using System.Net;
using AgentFabric.Agent;
using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Cli.Agent;

/// <summary><c>agentfabric agent run -config agent.json</c>: the node agent until SIGINT/SIGTERM.</summary>
internal static class AgentRunCommand
{
    public static Command Create()
    {
        var config = Server.ServerCommands.Flag<string>("config", "Path to the agent's JSON configuration file");
        config.Required = true;
        var run = new Command("run", "Run the node agent (attests to the server, serves the Workload API)") { config };
        run.SetAction(async (parse, ct) =>
        {
            AgentConfig settings;
            try
            {
                settings = AgentConfig.LoadFile(parse.GetValue(config)!);
            }
            catch (AgentConfigException e)
            {
                Console.Error.WriteLine($"Error: {e.Message}");
                return 1;
            }

            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(settings.LogLevel switch
            {
                "DEBUG" => LogLevel.Debug,
                "WARN" => LogLevel.Warning,
                "ERROR" => LogLevel.Error,
                _ => LogLevel.Information,
            }));
            var log = loggers.CreateLogger("agentfabric.agent");
            var metrics = new AgentMetrics();
            ServerIdentityProvider provider;
            try
            {
                provider = await ServerIdentityProvider.StartAsync(
                    new ServerConnectionOptions
                    {
                        TrustDomain = settings.TrustDomain,
                        ServerAddress = settings.ServerAddress,
                        ServerPort = settings.ServerPort,
                        DataDir = settings.DataDir,
                        JoinToken = settings.JoinToken,
                        TrustBundlePath = settings.TrustBundlePath,
                        InsecureBootstrap = settings.InsecureBootstrap,
                    },
                    log,
                    cancellationToken: ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NodeAttestationException or InvalidDataException or AgentFabric.Spiffe.Bundles.X509.X509BundleException)
            {
                Console.Error.WriteLine($"Error: {e.Message}");
                return 1;
            }

            await using (provider.ConfigureAwait(false))
            {
                provider.ServerCallCompleted += metrics.Observe;
                using var configured = ConfiguredAttestors.Create(settings.WorkloadAttestors, new LinuxProcessTable());
                var attestor = new CountingAttestor(configured.Attestors);
                await using var endpoint = await WorkloadEndpoint.StartAsync(new WorkloadEndpointOptions { SocketPath = settings.SocketPath }, provider, [attestor], cancellationToken: ct).ConfigureAwait(false);
                await using var health = await StartHealthAsync(settings, provider, endpoint, attestor, metrics, ct).ConfigureAwait(false);
                log.LogInformation("Agent {NodeId} serving the Workload API on {Socket} (workload attestors: {Attestors}); health on {Address}:{Port}", provider.NodeId, settings.SocketPath, attestor.Name, settings.HealthAddress, settings.HealthPort);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return 0;
        });
        return run;
    }

    private static async Task<WebApplication> StartHealthAsync(AgentConfig settings, ServerIdentityProvider provider, WorkloadEndpoint endpoint, CountingAttestor attestor, AgentMetrics metrics, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(settings.HealthAddress), settings.HealthPort));
        var app = builder.Build();
        app.MapGet("/live", () => Results.Text("ok\n"));

        // Ready: the entry stream is synced; an agent that lost the server is live (serving its cache) but not ready.
        app.MapGet("/ready", () => provider.Synced
            ? Results.Text("ok\n")
            : Results.Text($"not synced with the server: {provider.LastError ?? "connecting"}\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", () => Results.Text(metrics.Render(attestor, endpoint, provider), "text/plain; version=0.0.4"));
        await app.StartAsync(ct).ConfigureAwait(false);
        return app;
    }
}
