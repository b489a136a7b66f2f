namespace AgentFabric.Agent.Attestation;

/// <summary>A workload could not be attested; the message names the attestor and the reason.</summary>
public sealed class WorkloadAttestationException : Exception
{
    public WorkloadAttestationException()
        : base("attestation failed")
    {
    }

    public WorkloadAttestationException(string message)
        : base(message)
    {
    }

    public WorkloadAttestationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
