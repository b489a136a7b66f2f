using System.Collections.Immutable;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentFabric.Edge.Clients;

/// <summary>Adds, lists and removes OAuth clients in OpenIddict's application store.</summary>
public sealed class EdgeClientStore(IOpenIddictApplicationManager applications, IOpenIddictScopeManager scopes)
{
    private static readonly ImmutableHashSet<string> s_knownGrants =
    [
        GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials, GrantTypes.TokenExchange,
    ];

    private static readonly ImmutableHashSet<string> s_standardScopes =
        [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess];

    /// <summary>Registers a client. Throws <see cref="ArgumentException"/> for a bad registration (the message names
    /// the field) and <see cref="InvalidOperationException"/> when the client id is taken.</summary>
    public async Task AddAsync(EdgeClientRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.ClientId, nameof(registration));
        foreach (var grant in registration.GrantTypes)
        {
            if (!s_knownGrants.Contains(grant))
            {
                throw new ArgumentException($"edge: unknown grant type \"{grant}\"", nameof(registration));
            }
        }

        var confidential = !string.IsNullOrEmpty(registration.ClientSecret);
        if (!confidential && registration.GrantTypes.Contains(GrantTypes.ClientCredentials))
        {
            // RFC 6749 §4.4: the client credentials grant is for confidential clients only.
            throw new ArgumentException("edge: client_credentials needs a client secret", nameof(registration));
        }

        if (registration.GrantTypes.Contains(GrantTypes.AuthorizationCode) && registration.RedirectUris.Count == 0)
        {
            throw new ArgumentException("edge: the authorization code flow needs at least one redirect URI", nameof(registration));
        }

        if (await applications.FindByClientIdAsync(registration.ClientId, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new InvalidOperationException($"edge: client \"{registration.ClientId}\" already exists");
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = registration.ClientId,
            ClientSecret = registration.ClientSecret,
            ClientType = confidential ? ClientTypes.Confidential : ClientTypes.Public,
            DisplayName = registration.DisplayName,
            ConsentType = ConsentTypes.Implicit,
        };
        foreach (var uri in registration.RedirectUris)
        {
            descriptor.RedirectUris.Add(uri);
        }

        foreach (var uri in registration.PostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(uri);
        }

        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        descriptor.Permissions.Add(Permissions.Endpoints.Revocation);
        if (confidential)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
        }

        foreach (var grant in registration.GrantTypes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.GrantType + grant);
        }

        if (registration.GrantTypes.Contains(GrantTypes.AuthorizationCode))
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Authorization);
            descriptor.Permissions.Add(Permissions.Endpoints.EndSession);
            descriptor.Permissions.Add(Permissions.ResponseTypes.Code);
            // PKCE for every code flow client (RFC 9700 §2.1.1), confidential ones too.
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }

        foreach (var scope in registration.Scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
            // OpenIddict accepts a scope only when it is registered (RFC 6749 §3.3: the server defines its scopes).
            if (!s_standardScopes.Contains(scope) && await scopes.FindByNameAsync(scope, cancellationToken).ConfigureAwait(false) is null)
            {
                await scopes.CreateAsync(new OpenIddictScopeDescriptor { Name = scope }, cancellationToken).ConfigureAwait(false);
            }
        }

        await applications.CreateAsync(descriptor, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EdgeClient>> ListAsync(CancellationToken cancellationToken = default)
    {
        var clients = new List<EdgeClient>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken).ConfigureAwait(false))
        {
            var permissions = await applications.GetPermissionsAsync(application, cancellationToken).ConfigureAwait(false);
            var redirects = await applications.GetRedirectUrisAsync(application, cancellationToken).ConfigureAwait(false);
            clients.Add(new EdgeClient(
                await applications.GetClientIdAsync(application, cancellationToken).ConfigureAwait(false) ?? "",
                await applications.GetClientTypeAsync(application, cancellationToken).ConfigureAwait(false) ?? "",
                await applications.GetDisplayNameAsync(application, cancellationToken).ConfigureAwait(false),
                [.. redirects],
                [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.GrantType, StringComparison.Ordinal))
                    .Select(p => p[Permissions.Prefixes.GrantType.Length..])],
                [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
                    .Select(p => p[Permissions.Prefixes.Scope.Length..])]));
        }

        return [.. clients.OrderBy(c => c.ClientId, StringComparer.Ordinal)];
    }

    /// <summary>Removes a client; false when there is none with that id.</summary>
    public async Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken = default)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken).ConfigureAwait(false);
        if (application is null)
        {
            return false;
        }

        await applications.DeleteAsync(application, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
