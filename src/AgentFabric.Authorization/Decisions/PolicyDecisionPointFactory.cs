using AgentFabric.Rego;

namespace AgentFabric.Authorization;

/// <summary>Builds the decision point the options choose.</summary>
public static class PolicyDecisionPointFactory
{
    /// <summary>An embedded PDP over <paramref name="store"/> or a remote one over <paramref name="http"/> (which the
    /// caller owns), as <paramref name="options"/> say; throws <see cref="ArgumentException"/> for bad options or a
    /// missing store or client.</summary>
    public static IPolicyDecisionPoint Create(PolicyDecisionPointOptions options, PolicyStore? store, HttpClient? http)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Mode switch
        {
            PolicyDecisionPointMode.Embedded => new EmbeddedPolicyDecisionPoint(
                store ?? throw new ArgumentException("pdp: embedded mode needs a policy store", nameof(store)),
                options.TimeProvider,
                options.NewDecisionId),
            _ => new RemotePolicyDecisionPoint(
                http ?? throw new ArgumentException("pdp: remote mode needs an HttpClient", nameof(http)),
                options.RemoteAddress!,
                options.RemoteTimeout,
                options.TimeProvider,
                options.NewDecisionId),
        };
    }
}
