using System.Security.Claims;
using System.Text.Json;
using AgentFabric.Authorization.Input;
using AgentFabric.Spiffe;

namespace AgentFabric.AspNetCore;

/// <summary>
/// A verified token issued by the edge's token exchange (RFC 8693, RFC 9068 <c>at+jwt</c>) for this workload: the
/// user it speaks for, the delegation chain, and the raw token (to exchange again for the next hop). <see
/// cref="ToString"/> never shows the token.
/// </summary>
public sealed class ExchangedToken
{
    private AuthorizationUser? _inputUser;
    private ClaimsIdentity? _userIdentity;

    internal ExchangedToken(string token, JsonElement claims, string subject, IReadOnlyList<SpiffeId> delegation, IReadOnlyList<string> scopes, DateTimeOffset expiry)
    {
        Token = token;
        Claims = claims;
        Subject = subject;
        Delegation = delegation;
        Scopes = scopes;
        Expiry = expiry;
    }

    /// <summary>The compact JWT, exactly as received (a bearer credential: never log it).</summary>
    public string Token { get; }

    /// <summary>Every claim of the payload.</summary>
    public JsonElement Claims { get; }

    /// <summary>The user (<c>sub</c>).</summary>
    public string Subject { get; }

    /// <summary>The <c>act</c> chain, nearest actor (the caller) first (RFC 8693 §4.1).</summary>
    public IReadOnlyList<SpiffeId> Delegation { get; }

    /// <summary>The scopes (<c>scope</c>, space-separated, RFC 8693 §4.2).</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary><c>exp</c>.</summary>
    public DateTimeOffset Expiry { get; }

    /// <summary>The user and delegation parts of the policy input, converted once per token (a verified token is
    /// reused across requests) rather than on every decision.</summary>
    /// <exception cref="AuthorizationInputException">The claims do not make a policy user.</exception>
    internal AuthorizationUser InputUser
    {
        get
        {
            var user = Volatile.Read(ref _inputUser);
            if (user is null)
            {
                user = AuthorizationUser.FromTokenClaims(Claims);
                Interlocked.CompareExchange(ref _inputUser, user, null);
            }

            return user;
        }
    }

    /// <summary>A copy of the user's identity, made by <paramref name="create"/> once per token (a verified token is
    /// reused across requests) and cloned for each request, whose principal may be changed by the application.</summary>
    internal ClaimsIdentity UserIdentity(Func<ExchangedToken, ClaimsIdentity> create)
    {
        var identity = Volatile.Read(ref _userIdentity);
        if (identity is null)
        {
            identity = create(this);
            identity = Interlocked.CompareExchange(ref _userIdentity, identity, null) ?? identity;
        }

        return identity.Clone();
    }

    /// <summary>The user and the chain — never the token.</summary>
    public override string ToString() => $"exchanged token for {Subject} via {string.Join(" <- ", Delegation)} (expires {Expiry:u})";
}
