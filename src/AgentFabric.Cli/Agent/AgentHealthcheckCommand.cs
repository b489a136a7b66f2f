using System.CommandLine;
using System.Globalization;
using AgentFabric.Spiffe.WorkloadApi;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace AgentFabric.Cli.Agent;

/// <summary>
/// <c>agentfabric agent healthcheck [-socketPath P | -address A -port N] [-shallow] [-verbose]</c>: exit 0 when healthy.
/// With <c>-socketPath</c> it asks the Workload API socket's gRPC health service, as spire-agent does; otherwise the
/// agent's HTTP health port (<c>health_checks.bind_port</c>).
/// </summary>
internal static class AgentHealthcheckCommand
{
    public static Command Create()
    {
        var socketPath = Server.ServerCommands.Flag<string>("socketPath", "Path to the agent's Workload API socket (asks its gRPC health service)");
        var address = new Option<string>("-address") { Description = "Health address of the agent", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("-port") { Description = "Health port of the agent (health_checks.bind_port)", DefaultValueFactory = _ => 8088 };
        var shallow = new Option<bool>("-shallow") { Description = "Check only that the agent is alive, not that it is synced with the server" };
        var verbose = new Option<bool>("-verbose") { Description = "Print the agent's answer" };
        var command = new Command("healthcheck", "Check that a running agent is alive and synced with the server") { socketPath, address, port, shallow, verbose };
        command.SetAction(new ErrorStyle(""), async (parse, console, ct) =>
        {
            if (parse.GetValue(socketPath) is { } socket)
            {
                return await CheckSocketAsync(console, socket, parse.GetValue(shallow), parse.GetValue(verbose), ct).ConfigureAwait(false);
            }

            var url = string.Create(CultureInfo.InvariantCulture, $"http://{parse.GetValue(address)}:{parse.GetValue(port)}/{(parse.GetValue(shallow) ? "live" : "ready")}");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(new Uri(url), ct).ConfigureAwait(false);
                var body = (await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).Trim();
                if (response.IsSuccessStatusCode)
                {
                    console.Out.WriteLine(parse.GetValue(verbose) ? $"Agent is healthy ({url}: {body})" : "Agent is healthy.");
                    return 0;
                }

                throw new CliException($"Agent is unhealthy: {body}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                throw new CliException($"Agent is unavailable: cannot reach {url}: {e.Message}", e);
            }
        });
        return command;
    }

    private static async Task<int> CheckSocketAsync(CliConsole console, string socket, bool shallow, bool verbose, CancellationToken ct)
    {
        // Said before connecting: the socket layer reports a missing Unix socket as "Cannot assign requested address".
        if (!File.Exists(socket))
        {
            throw new CliException($"Agent is unavailable: no socket at {socket}");
        }

        using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = UnixSocketConnector.CreateHandler(socket), DisposeHttpClient = true });
        HealthCheckResponse answer;
        try
        {
            answer = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
        }
        catch (RpcException e)
        {
            throw new CliException($"Agent is unavailable: cannot reach {socket}: {e.Status.Detail}", e);
        }

        // Shallow: an answer at all means the agent is alive, synced with the server or not.
        if (answer.Status != HealthCheckResponse.Types.ServingStatus.Serving && !shallow)
        {
            throw new CliException($"Agent is unhealthy: {answer.Status}");
        }

        console.Out.WriteLine(verbose ? $"Agent is healthy ({socket}: {answer.Status})" : "Agent is healthy.");
        return 0;
    }
}
