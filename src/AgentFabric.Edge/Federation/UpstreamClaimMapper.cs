using System.Security.Claims;
using System.Text.Json;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentFabric.Edge.Federation;

/// <summary>
/// Turns the claims an upstream provider asserted (its validated ID token, and its userinfo when it has one) into
/// the edge's login identity, as <see cref="UpstreamProvider"/>'s mapping says. Only the mapped claims cross over:
/// an upstream cannot inject <c>idp</c>, <c>act</c>, <c>scope</c> or anything else into the tokens the edge issues.
/// </summary>
public static class UpstreamClaimMapper
{
    /// <summary>The claim naming the provider a federated person signed in through (the provider's name).</summary>
    public const string IdentityProviderClaim = "idp";

    /// <summary>The subject a person of <paramref name="upstream"/> gets with
    /// <see cref="UpstreamSubjectMapping.Prefixed"/>: <c>{name}:{upstream subject}</c>.</summary>
    public static string PrefixedSubject(UpstreamProvider upstream, string upstreamSubject)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return upstream.Name + ":" + upstreamSubject;
    }

    /// <summary>Maps <paramref name="asserted"/> into a login identity of type <paramref name="authenticationType"/>
    /// (<see cref="UpstreamSubjectMapping.Prefixed"/>); false with <paramref name="error"/> when the subject claim is
    /// missing or not a single non-empty value. Never throws for bad claims.</summary>
    public static bool TryMap(UpstreamProvider upstream, ClaimsPrincipal asserted, string authenticationType,
        out ClaimsIdentity? identity, out string? error)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(asserted);
        identity = null;
        if (!TrySingle(upstream, asserted, upstream.SubjectClaim, out var subject, out error))
        {
            return false;
        }

        identity = new ClaimsIdentity(authenticationType, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, PrefixedSubject(upstream, subject)));
        identity.AddClaim(new Claim(IdentityProviderClaim, upstream.Name));
        AddFirst(identity, asserted, upstream.NameClaim, Claims.Name);
        AddFirst(identity, asserted, upstream.UserNameClaim, Claims.PreferredUsername);
        AddFirst(identity, asserted, upstream.EmailClaim, Claims.Email);
        if (upstream.RolesClaim is { } rolesClaim)
        {
            foreach (var role in Values(asserted, rolesClaim).Distinct(StringComparer.Ordinal))
            {
                identity.AddClaim(new Claim(Claims.Role, role));
            }
        }

        return true;
    }

    /// <summary>The local user name the upstream vouches for (<see cref="UpstreamSubjectMapping.LocalUser"/>).</summary>
    public static bool TryLocalUserName(UpstreamProvider upstream, ClaimsPrincipal asserted, out string userName, out string? error)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(asserted);
        return TrySingle(upstream, asserted, upstream.LocalUserClaim, out userName, out error);
    }

    private static bool TrySingle(UpstreamProvider upstream, ClaimsPrincipal asserted, string claim, out string value, out string? error)
    {
        var values = Values(asserted, claim).Distinct(StringComparer.Ordinal).ToList();
        value = values.Count == 1 ? values[0] : "";
        error = values.Count switch
        {
            1 => null,
            0 => $"{upstream.Label} did not say who you are (its token has no \"{claim}\" claim).",
            _ => $"{upstream.Label} sent more than one \"{claim}\" claim.",
        };
        return error is null;
    }

    private static void AddFirst(ClaimsIdentity identity, ClaimsPrincipal asserted, string from, string to)
    {
        if (Values(asserted, from).FirstOrDefault() is { } value)
        {
            identity.AddClaim(new Claim(to, value));
        }
    }

    /// <summary>A claim's non-empty values; a JSON array claim (RFC 7519 §2: a claim value may be any JSON value)
    /// gives its string members.</summary>
    private static IEnumerable<string> Values(ClaimsPrincipal asserted, string type)
    {
        foreach (var claim in asserted.FindAll(type))
        {
            if (claim.ValueType == "JSON_ARRAY" || (claim.Value.StartsWith('[') && claim.ValueType == "JSON"))
            {
                foreach (var member in ArrayMembers(claim.Value))
                {
                    yield return member;
                }
            }
            else if (claim.Value.Length > 0)
            {
                yield return claim.Value;
            }
        }
    }

    private static List<string> ArrayMembers(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Array
                ? [.. doc.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Where(s => s.Length > 0)]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
