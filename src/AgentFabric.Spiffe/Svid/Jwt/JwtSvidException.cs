namespace AgentFabric.Spiffe.Svid.Jwt;

/// <summary>A JWT-SVID could not be parsed, broke a rule of JWT-SVID.md, or failed verification; the message names the rule.
/// Messages start with "jwtsvid: ".</summary>
public sealed class JwtSvidException : Exception
{
    public JwtSvidException()
        : base("jwtsvid: invalid JWT-SVID")
    {
    }

    public JwtSvidException(string message)
        : base(message)
    {
    }

    public JwtSvidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
