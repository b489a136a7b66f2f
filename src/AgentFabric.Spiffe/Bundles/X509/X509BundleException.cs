namespace AgentFabric.Spiffe.Bundles.X509;

/// <summary>An X.509 bundle could not be parsed or loaded, or no bundle exists for a trust domain.
/// Messages start with "x509bundle: ".</summary>
public sealed class X509BundleException : Exception
{
    public X509BundleException()
        : base("x509bundle: invalid X.509 bundle")
    {
    }

    public X509BundleException(string message)
        : base(message)
    {
    }

    public X509BundleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
