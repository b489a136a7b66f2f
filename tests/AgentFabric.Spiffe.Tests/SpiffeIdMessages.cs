namespace AgentFabric.Spiffe.Tests;

/// <summary>The exact error texts of the spiffeid area, spelled out once for the tests.</summary>
internal static class SpiffeIdMessages
{
    public const string Empty = "spiffeid: cannot be empty";
    public const string TooLong = "spiffeid: ID is longer than 2048 bytes";
    public const string WrongScheme = "spiffeid: scheme is missing or invalid (expected \"spiffe://\")";
    public const string MissingTrustDomain = "spiffeid: trust domain is missing";
    public const string TrustDomainTooLong = "spiffeid: trust domain is longer than 255 bytes";
    public const string BadTrustDomainChar =
        "spiffeid: trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores";
    public const string Port = "spiffeid: port is not allowed";
    public const string Userinfo = "spiffeid: userinfo is not allowed";
    public const string Query = "spiffeid: query is not allowed";
    public const string Fragment = "spiffeid: fragment is not allowed";
    public const string PercentEncoded = "spiffeid: percent-encoded characters are not allowed";
    public const string BadPathChar =
        "spiffeid: path segment characters are limited to letters, numbers, dots, dashes, and underscores";
    public const string EmptySegment = "spiffeid: path cannot contain empty segments";
    public const string DotSegment = "spiffeid: path segment cannot be '.'";
    public const string DotDotSegment = "spiffeid: path segment cannot be '..'";
    public const string TrailingSlash = "spiffeid: path cannot have a trailing slash";
    public const string NoLeadingSlash = "spiffeid: path must have a leading slash";
}
