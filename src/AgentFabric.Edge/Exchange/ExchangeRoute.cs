namespace AgentFabric.Edge.Exchange;

/// <summary>For the default exchange policy: agents matching <paramref name="Caller"/> may obtain tokens for targets
/// matching <paramref name="Target"/> (SPIFFE ID globs, <c>*</c> within one path segment).</summary>
public sealed record ExchangeRoute(string Caller, string Target);
