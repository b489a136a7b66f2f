using AgentFabric.Server.Api;
using AgentFabric.Server.Api.V1;

namespace AgentFabric.Cli.Up;

/// <summary>
/// What <c>up</c> asks the identity server over its Admin socket: the bundle the agent trusts on its first
/// connection, a join token when the agent has no node SVID yet, and the workloads' entries. Each step is idempotent,
/// so a second <c>up</c> on the same state adds nothing: an entry that exists with the same selectors and X.509-SVID
/// lifetime is kept, one whose executable or lifetime changed is updated in place.
/// </summary>
/// <param name="x509SvidTtl">The X.509-SVID lifetime of the workloads' entries in seconds; 0: the server's default.</param>
internal sealed class FabricRegistrar(FabricDirectory dir, FabricLayout layout, int x509SvidTtl = 0)
{
    /// <summary>The node alias every workload entry hangs under: the join token names the agent
    /// <c>spiffe://td/spire/agent/join_token/TOKEN</c>, different at every fresh attestation; its alias stays.</summary>
    public string NodeId => $"spiffe://{layout.TrustDomain}/agentfabric/up/node";

    /// <summary>Writes the server's X.509 bundle (PEM) to the agent's <c>trust_bundle_path</c>.</summary>
    public async Task WriteBundleAsync(CancellationToken cancellationToken)
    {
        using var channel = AdminChannel.Create(dir.AdminSocket);
        var bundle = await AdminChannel.Client(channel).GetBundleAsync(new Empty(), cancellationToken: cancellationToken);
        FabricDirectory.WriteAtomically(dir.BundleFile, Server.BundleCommands.Render(bundle, "pem"));
    }

    /// <summary>When the agent holds no node SVID (first start, or its data was removed), writes a join token
    /// (aliased to <see cref="NodeId"/>, 10 minutes, 0600) to the token file; true when it did. An agent with a stored
    /// SVID re-attests with it, so no token is minted and no alias entry added.</summary>
    public async Task<bool> PrepareJoinTokenAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(dir.AgentData, "agent_svid.pem")))
        {
            File.Delete(dir.JoinTokenFile);
            return false;
        }

        using var channel = AdminChannel.Create(dir.AdminSocket);
        var token = await AdminChannel.Client(channel).CreateJoinTokenAsync(new CreateJoinTokenRequest { Ttl = 600, AgentId = NodeId }, cancellationToken: cancellationToken);
        FabricDirectory.WriteAtomically(dir.JoinTokenFile, token.Value + "\n");
        return true;
    }

    /// <summary>Creates or updates the entry of each workload; returns how many were created and updated.</summary>
    /// <exception cref="IOException">A workload's executable cannot be read.</exception>
    public async Task<(int Created, int Updated)> RegisterAsync(IEnumerable<WorkloadRegistration> workloads, CancellationToken cancellationToken)
    {
        using var channel = AdminChannel.Create(dir.AdminSocket);
        var client = AdminChannel.Client(channel);
        int created = 0, updated = 0;
        foreach (var workload in workloads)
        {
            var selectors = workload.Selectors();
            var existing = await client.ListEntriesAsync(new ListEntriesRequest { BySpiffeId = workload.SpiffeId, ByParentId = NodeId }, cancellationToken: cancellationToken);
            var entry = new Entry { SpiffeId = workload.SpiffeId, ParentId = NodeId, X509SvidTtl = x509SvidTtl };
            entry.Selectors.AddRange(selectors);
            if (existing.Entries.Count == 0)
            {
                await client.CreateEntryAsync(new CreateEntryRequest { Entry = entry }, cancellationToken: cancellationToken);
                created++;
                continue;
            }

            var current = existing.Entries[0];
            if (!SameSelectors(current.Selectors, selectors) || current.X509SvidTtl != x509SvidTtl)
            {
                entry.Id = current.Id;
                await client.UpdateEntryAsync(new UpdateEntryRequest { Entry = entry }, cancellationToken: cancellationToken);
                updated++;
            }
        }

        return (created, updated);
    }

    private static bool SameSelectors(IEnumerable<Selector> a, IEnumerable<Selector> b) =>
        a.Select(s => s.Type + ":" + s.Value).Order(StringComparer.Ordinal).SequenceEqual(b.Select(s => s.Type + ":" + s.Value).Order(StringComparer.Ordinal), StringComparer.Ordinal);
}
