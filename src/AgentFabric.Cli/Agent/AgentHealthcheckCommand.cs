using System.CommandLine;
using System.Globalization;

namespace AgentFabric.Cli.Agent;

/// <summary><c>agentfabric agent healthcheck [-shallow]</c>: asks a running agent's health port (exit 0 when healthy).</summary>
internal static class AgentHealthcheckCommand
{
    public static Command Create()
    {
        var address = new Option<string>("-address") { Description = "Health address of the agent", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("-port") { Description = "Health port of the agent (health_checks.bind_port)", DefaultValueFactory = _ => 8088 };
        var shallow = new Option<bool>("-shallow") { Description = "Check only that the agent is alive, not that it is synced with the server" };
        var verbose = new Option<bool>("-verbose") { Description = "Print the agent's answer" };
        var command = new Command("healthcheck", "Check that a running agent is alive and synced with the server") { address, port, shallow, verbose };
        command.SetAction(new ErrorStyle(""), async (parse, console, ct) =>
        {
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
}
