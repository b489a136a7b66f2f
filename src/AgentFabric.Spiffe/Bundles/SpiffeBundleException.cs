namespace AgentFabric.Spiffe.Bundles;

/// <summary>A SPIFFE bundle or bundle map could not be parsed, loaded or written, or no bundle exists for a trust domain.
/// Messages start with "spiffebundle: ".</summary>
public sealed class SpiffeBundleException : Exception
{
    public SpiffeBundleException()
        : base("spiffebundle: invalid SPIFFE bundle")
    {
    }

    public SpiffeBundleException(string message)
        : base(message)
    {
    }

    public SpiffeBundleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
