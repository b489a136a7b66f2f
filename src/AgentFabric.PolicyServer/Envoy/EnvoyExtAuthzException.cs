namespace AgentFabric.PolicyServer.Envoy;

/// <summary>A Check could not be answered: the request could not be turned into OPA-Envoy's input, or the policy's
/// result cannot be mapped to a CheckResponse. The service answers with a gRPC error (Envoy then denies unless its
/// <c>failure_mode_allow</c> is set), never with an allow.</summary>
public sealed class EnvoyExtAuthzException : Exception
{
    /// <summary>A failure with its reason.</summary>
    public EnvoyExtAuthzException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
