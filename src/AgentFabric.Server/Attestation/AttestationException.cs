namespace AgentFabric.Server.Attestation;

/// <summary>A node failed attestation or may not call the Agent API ("attestation: ..."); the message is safe to
/// return to the caller (it never echoes a secret).</summary>
public sealed class AttestationException : Exception
{
    public AttestationException()
    {
    }

    public AttestationException(string message)
        : base(message)
    {
    }

    public AttestationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
