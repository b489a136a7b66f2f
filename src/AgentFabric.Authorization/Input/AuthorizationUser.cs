using System.Text.Json;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Input;

/// <summary>
/// The <c>user</c> and <c>delegation</c> parts of the input, converted once from a verified token's claims: a service
/// that sees the same token on many requests keeps this with the token instead of converting the claims each time.
/// Immutable.
/// </summary>
public sealed class AuthorizationUser
{
    private AuthorizationUser(ObjectValue value, IReadOnlyList<DelegationHop>? delegation)
    {
        Value = value;
        Delegation = delegation ?? [];
        DelegationValue = AuthorizationInputBuilder.DelegationValue(Delegation);
        HasActClaim = delegation is not null;
    }

    /// <summary>The delegation chain of the token's <c>act</c> claim, nearest actor first (empty without one).</summary>
    public IReadOnlyList<DelegationHop> Delegation { get; }

    internal ObjectValue Value { get; }

    internal ArrayValue DelegationValue { get; }

    // Without an act claim the builder keeps a delegation chain set otherwise (WithDelegation).
    internal bool HasActClaim { get; }

    /// <summary>The user of an exchanged token's claims (a JSON object): <c>sub</c> is required, <c>scope</c>
    /// (RFC 8693 §4.2, space-separated) becomes <c>user.scopes</c>, and <c>act</c> becomes the delegation chain; the
    /// other claims stay under <c>user.claims</c>.</summary>
    /// <exception cref="AuthorizationInputException">The claims are not an object, have no <c>sub</c>, a bad
    /// <c>scope</c> or a bad <c>act</c>.</exception>
    public static AuthorizationUser FromTokenClaims(JsonElement claims)
    {
        if (claims.ValueKind != JsonValueKind.Object)
        {
            throw new AuthorizationInputException($"token claims must be a JSON object, not {claims.ValueKind}");
        }

        var sub = claims.TryGetProperty("sub", out var s) && s.ValueKind == JsonValueKind.String && s.GetString()!.Length > 0
            ? s.GetString()!
            : throw new AuthorizationInputException("the token has no sub claim");
        var scopes = claims.TryGetProperty("scope", out var sc) ? AuthorizationInputBuilder.Scopes(sc, "scope") : [];
        var rest = new ObjectValue.Builder();
        foreach (var p in claims.EnumerateObject())
        {
            if (p.Name != "act")
            {
                rest.Set(p.Name, Rego.Values.Value.FromJson(p.Value));
            }
        }

        var user = ObjectValue.Create(("sub", sub), ("scopes", AuthorizationInputBuilder.StringArray(scopes)), ("claims", rest.ToValue()));
        var delegation = claims.TryGetProperty("act", out var act) ? AuthorizationInputBuilder.ParseActClaim(act) : null;
        return new AuthorizationUser(user, delegation);
    }
}
