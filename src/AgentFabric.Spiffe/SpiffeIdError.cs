namespace AgentFabric.Spiffe;

/// <summary>The rule of SPIFFE-ID.md a candidate ID or trust domain broke; <see cref="None"/> when it is valid.</summary>
internal enum SpiffeIdError
{
    None,
    Empty,
    TooLong,
    WrongScheme,
    MissingTrustDomain,
    TrustDomainTooLong,
    BadTrustDomainChar,
    Port,
    Userinfo,
    Query,
    Fragment,
    PercentEncoded,
    BadPathChar,
    EmptySegment,
    DotSegment,
    DotDotSegment,
    TrailingSlash,
    NoLeadingSlash,
}
