namespace AgentFabric.AspNetCore;

/// <summary>The edge's discovery document or keys could not be had; whatever needed them fails closed.</summary>
public sealed class EdgeMetadataException : Exception
{
    public EdgeMetadataException()
        : base("agentfabric: the edge's metadata is unavailable")
    {
    }

    public EdgeMetadataException(string message)
        : base(message)
    {
    }

    public EdgeMetadataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
