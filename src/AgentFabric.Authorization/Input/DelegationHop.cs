using AgentFabric.Spiffe;

namespace AgentFabric.Authorization.Input;

/// <summary>One actor of a delegation chain (an <c>act</c> claim, RFC 8693 §4.1) and the scopes it held, when the
/// claim says (<c>scope</c>, space-separated, RFC 8693 §4.2).</summary>
public sealed record DelegationHop(SpiffeId SpiffeId, IReadOnlyList<string>? Scopes = null);
