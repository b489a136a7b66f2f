namespace AgentFabric.Authorization;

/// <summary>No decision could be made; callers deny. Subclasses say why.</summary>
public abstract class PolicyDecisionException : Exception
{
    private protected PolicyDecisionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
