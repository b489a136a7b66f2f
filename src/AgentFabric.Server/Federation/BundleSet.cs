using AgentFabric.Server.Datastore;

namespace AgentFabric.Server.Federation;

/// <summary>Our bundle and the federated ones, as one read (what agents are sent).</summary>
public sealed record BundleSet(StoredBundle Own, IReadOnlyList<StoredBundle> Federated);
