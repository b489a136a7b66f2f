using System.Security.Claims;
using AgentFabric.Edge.Store;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentFabric.Edge.Endpoints;

/// <summary>Builds a person's identity for OpenIddict and says which token each claim goes to.</summary>
internal static class EdgeClaims
{
    public static ClaimsIdentity ForUser(EdgeUser user, IEnumerable<string> scopes, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Name, user.DisplayName ?? user.UserName)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaim(Claims.Email, user.Email);
        identity.SetScopes(scopes);
        identity.SetDestinations(Destinations);
        return identity;
    }

    /// <summary>A person federated from an upstream provider (no local account): the claims mapped at sign-in
    /// (<see cref="Federation.UpstreamClaimMapper"/>), carried from the login cookie into the code and from the code
    /// or refresh token into the next tokens.</summary>
    public static ClaimsIdentity ForFederated(ClaimsPrincipal federated, IEnumerable<string> scopes, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, Claims.Name, Claims.Role);
        foreach (var type in FederatedClaims)
        {
            foreach (var claim in federated.FindAll(type))
            {
                identity.AddClaim(new Claim(type, claim.Value));
            }
        }

        identity.SetScopes(scopes);
        identity.SetDestinations(Destinations);
        return identity;
    }

    /// <summary>The provider a federated principal came from, or null for a local user.</summary>
    public static string? IdentityProviderOf(ClaimsPrincipal? principal) =>
        principal?.FindFirst(Federation.UpstreamClaimMapper.IdentityProviderClaim)?.Value;

    private static readonly string[] FederatedClaims =
        [Claims.Subject, Federation.UpstreamClaimMapper.IdentityProviderClaim, Claims.Name, Claims.PreferredUsername, Claims.Email, Claims.Role];

    /// <summary>OIDC Core §5.4: profile claims only with the <c>profile</c> scope, <c>email</c> only with
    /// <c>email</c>; <c>sub</c> always. The access token carries what a resource needs.</summary>
    public static IEnumerable<string> Destinations(Claim claim)
    {
        switch (claim.Type)
        {
            case Claims.Name or Claims.PreferredUsername:
                yield return OpenIddictConstants.Destinations.AccessToken;
                if (claim.Subject!.HasScope(Scopes.Profile))
                {
                    yield return OpenIddictConstants.Destinations.IdentityToken;
                }

                yield break;
            case Claims.Email:
                if (claim.Subject!.HasScope(Scopes.Email))
                {
                    yield return OpenIddictConstants.Destinations.AccessToken;
                    yield return OpenIddictConstants.Destinations.IdentityToken;
                }

                yield break;
            case "AspNet.Identity.SecurityStamp":
                yield break;
            default:
                yield return OpenIddictConstants.Destinations.AccessToken;
                yield break;
        }
    }
}
