using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgentFabric.Cli.Policy;
using AgentFabric.Server.Api;
using AgentFabric.Server.Api.V1;
using Grpc.Core;

namespace AgentFabric.Cli.Server;

/// <summary>
/// <c>agent purge [-expiredFor 720h] [-dryRun]</c>, as <c>spire-server agent purge</c>: lists the agents whose node
/// SVID expired more than <c>-expiredFor</c> ago and evicts them one by one (each is then unable to renew and needs a
/// new join token), printing what was purged and what could not be. Banned agents are never purged: their record is
/// the ban.
/// </summary>
internal static class AgentPurgeCommand
{
    /// <summary>SPIRE's default: 30 days (<c>720h0m0s</c>).</summary>
    public static readonly TimeSpan DefaultExpiredFor = TimeSpan.FromHours(720);

    // SPIRE's pretty output aligns each value after a 18-column label.
    private const string IdLabel = "SPIFFE ID         : ";
    private const string ErrorLabel = "Error             : ";

    private static readonly JsonSerializerOptions s_json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static Command Create(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var expiredFor = new Option<TimeSpan>("-expiredFor", "--expiredFor")
        {
            Description = "Amount of time that has passed since the agent's SVID has expired. It is used to determine which agents to purge.",
            DefaultValueFactory = _ => DefaultExpiredFor,
            CustomParser = ParseExpiredFor,
        };
        var dryRun = new Option<bool>("-dryRun", "--dryRun")
        {
            Description = "Indicates that the command will not perform any action, but will print the agents that would be purged.",
        };
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var command = new Command("purge", "Purge expired agents (not banned) whose node SVID expired more than -expiredFor ago")
        {
            expiredFor, dryRun, socket, output,
        };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));
            var dry = parse.GetValue(dryRun);
            var before = clock.GetUtcNow() - parse.GetValue(expiredFor);

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var client = AdminChannel.Client(channel);
            ListAgentsResponse expired;
            try
            {
                expired = await client.ListAgentsByFilterAsync(
                    new ListAgentsByFilterRequest { ByExpiresBefore = Math.Max(1, before.ToUnixTimeSeconds()), ByBanned = false }, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Unavailable)
            {
                throw new CliException($"failed to list agents: {e.Status.Detail}", e);
            }

            var results = new List<ExpiredAgent>();
            foreach (var agent in expired.Agents)
            {
                if (dry)
                {
                    results.Add(new ExpiredAgent(agent.Id, false, null));
                    continue;
                }

                try
                {
                    await client.EvictAgentAsync(new AgentIdRequest { Id = agent.Id }, cancellationToken: ct);
                    results.Add(new ExpiredAgent(agent.Id, true, null));
                }
                catch (RpcException e) when (e.StatusCode != StatusCode.Unavailable)
                {
                    // As SPIRE, one refused deletion is reported with the others, not a failure of the command.
                    results.Add(new ExpiredAgent(agent.Id, false, $"rpc error: code = {e.StatusCode} desc = {e.Status.Detail}"));
                }
            }

            if (json)
            {
                console.Out.WriteLine(JsonSerializer.Serialize(new ExpiredAgents(results), s_json));
            }
            else
            {
                WritePretty(console.Out, results, dry);
            }

            return 0;
        });
        return command;
    }

    private static void WritePretty(TextWriter output, List<ExpiredAgent> results, bool dryRun)
    {
        if (results.Count == 0)
        {
            output.WriteLine("No agents to purge.");
            return;
        }

        output.WriteLine(results.Count == 1 ? "Found 1 expired agent" : string.Create(CultureInfo.InvariantCulture, $"Found {results.Count} expired agents"));
        output.WriteLine();
        if (dryRun)
        {
            output.WriteLine();
            output.WriteLine("Agents that can be purged:");
            foreach (var r in results)
            {
                output.WriteLine(IdLabel + r.AgentId);
            }

            return;
        }

        var purged = results.Where(r => r.Deleted).ToList();
        if (purged.Count > 0)
        {
            output.WriteLine("Agents purged:");
            purged.ForEach(r => output.WriteLine(IdLabel + r.AgentId));
        }

        var kept = results.Where(r => !r.Deleted).ToList();
        if (kept.Count > 0)
        {
            output.WriteLine("Agents not purged:");
            foreach (var r in kept)
            {
                output.WriteLine(IdLabel + r.AgentId);
                output.WriteLine(ErrorLabel + r.Error);
            }
        }
    }

    private static TimeSpan ParseExpiredFor(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (!GoDurationText.TryParse(text, out var nanoseconds))
        {
            // Go's flag package words a duration it cannot read so.
            result.AddError($"invalid value \"{text}\" for flag -expiredFor: parse error");
            return TimeSpan.Zero;
        }

        if (nanoseconds < 0)
        {
            // SPIRE would then purge agents that have not expired yet; that is never what was meant.
            result.AddError($"-expiredFor must not be negative, got \"{text}\"");
            return TimeSpan.Zero;
        }

        return TimeSpan.FromTicks(nanoseconds / 100);
    }

    // SPIRE's JSON: {"expired_agents":[{"agent_id":"...","deleted":true,"error":"..."}]}, error omitted when empty.
    private sealed record ExpiredAgents([property: JsonPropertyName("expired_agents")] IReadOnlyList<ExpiredAgent> Agents);

    private sealed record ExpiredAgent(
        [property: JsonPropertyName("agent_id")] string AgentId,
        [property: JsonPropertyName("deleted")] bool Deleted,
        [property: JsonPropertyName("error")] string? Error);
}
