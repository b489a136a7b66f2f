namespace AgentFabric.Spiffe;

/// <summary>The exact text of each <see cref="SpiffeIdError"/>; tests assert these strings.</summary>
internal static class SpiffeIdErrors
{
    public static string Message(SpiffeIdError error) => error switch
    {
        SpiffeIdError.Empty => "spiffeid: cannot be empty",
        SpiffeIdError.TooLong => "spiffeid: ID is longer than 2048 bytes",
        SpiffeIdError.WrongScheme => "spiffeid: scheme is missing or invalid (expected \"spiffe://\")",
        SpiffeIdError.MissingTrustDomain => "spiffeid: trust domain is missing",
        SpiffeIdError.TrustDomainTooLong => "spiffeid: trust domain is longer than 255 bytes",
        SpiffeIdError.BadTrustDomainChar =>
            "spiffeid: trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores",
        SpiffeIdError.Port => "spiffeid: port is not allowed",
        SpiffeIdError.Userinfo => "spiffeid: userinfo is not allowed",
        SpiffeIdError.Query => "spiffeid: query is not allowed",
        SpiffeIdError.Fragment => "spiffeid: fragment is not allowed",
        SpiffeIdError.PercentEncoded => "spiffeid: percent-encoded characters are not allowed",
        SpiffeIdError.BadPathChar =>
            "spiffeid: path segment characters are limited to letters, numbers, dots, dashes, and underscores",
        SpiffeIdError.EmptySegment => "spiffeid: path cannot contain empty segments",
        SpiffeIdError.DotSegment => "spiffeid: path segment cannot be '.'",
        SpiffeIdError.DotDotSegment => "spiffeid: path segment cannot be '..'",
        SpiffeIdError.TrailingSlash => "spiffeid: path cannot have a trailing slash",
        SpiffeIdError.NoLeadingSlash => "spiffeid: path must have a leading slash",
        _ => "spiffeid: invalid SPIFFE ID",
    };

    public static SpiffeIdException Exception(SpiffeIdError error) => new(Message(error));
}
