namespace AgentFabric.Spiffe.Bundles.Jwt;

/// <summary>A JWT bundle (JWKS) could not be parsed or loaded, or no bundle exists for a trust domain.
/// Messages start with "jwtbundle: ".</summary>
public sealed class JwtBundleException : Exception
{
    public JwtBundleException()
        : base("jwtbundle: invalid JWT bundle")
    {
    }

    public JwtBundleException(string message)
        : base(message)
    {
    }

    public JwtBundleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
