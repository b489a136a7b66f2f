using AgentFabric.Spiffe;

namespace AgentFabric.AspNetCore;

/// <summary>What the SPIFFE handler established for a request: the calling workload and, when the request carried
/// one, the verified exchanged token. The Rego requirement builds the policy input from it, and SPIFFE HttpClients
/// exchange its token for their target.</summary>
public interface ISpiffeCallerFeature
{
    /// <summary>The verified mTLS peer.</summary>
    SpiffeId Caller { get; }

    /// <summary>The exchanged token, or null when the request carried none.</summary>
    ExchangedToken? Token { get; }
}

/// <summary>The handler's <see cref="ISpiffeCallerFeature"/>.</summary>
internal sealed record SpiffeCallerFeature(SpiffeId Caller, ExchangedToken? Token) : ISpiffeCallerFeature;
