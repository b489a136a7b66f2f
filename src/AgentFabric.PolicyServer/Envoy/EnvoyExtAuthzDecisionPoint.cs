using AgentFabric.Authorization;

namespace AgentFabric.PolicyServer.Envoy;

/// <summary>The decision point the Check service asks: the host's <see cref="IPolicyDecisionPoint"/>, wrapped in the
/// decision logger when one is registered and the host's PDP does not log already (OPA-Envoy logs every Check
/// decision with its path and input).</summary>
/// <param name="Inner">The PDP to ask.</param>
internal sealed record EnvoyExtAuthzDecisionPoint(IPolicyDecisionPoint Inner);
