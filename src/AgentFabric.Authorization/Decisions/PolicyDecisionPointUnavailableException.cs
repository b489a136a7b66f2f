namespace AgentFabric.Authorization;

/// <summary>The remote server could not be reached or did not answer in time.</summary>
public sealed class PolicyDecisionPointUnavailableException : PolicyDecisionException
{
    internal PolicyDecisionPointUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
