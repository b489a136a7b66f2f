using AgentFabric.Spiffe;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AgentFabric.AspNetCore;

/// <summary>What a token's signature check established and what each request still checks: the metadata and audience
/// it was verified against, the parsed token, its <c>nbf</c>, and the certificate thumbprint of its <c>cnf</c>
/// (RFC 8705 §3.1) when bound.</summary>
internal sealed record ValidatedToken(
    OpenIdConnectConfiguration Configuration,
    SpiffeId Audience,
    ExchangedToken Token,
    DateTimeOffset? NotBefore,
    string? CertificateThumbprint);
