namespace AgentFabric.Agent.Node;

/// <summary>The agent could not obtain a node identity (no token, token refused or already used, no bootstrap trust).</summary>
public sealed class NodeAttestationException : Exception
{
    public NodeAttestationException(string message)
        : base(message)
    {
    }

    public NodeAttestationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
