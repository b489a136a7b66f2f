using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Tls;

/// <summary>The standard authorizers (go-spiffe's <c>AuthorizeAny</c>, <c>AuthorizeID</c>, <c>AuthorizeOneOf</c>,
/// <c>AuthorizeMemberOf</c>) plus a predicate.</summary>
public static class SpiffeAuthorizer
{
    /// <summary>Allows any verified peer. Authentication still applies: the peer's SVID chains to a trusted bundle.</summary>
    public static ISpiffeAuthorizer Any() => new PredicateAuthorizer(_ => null);

    /// <summary>Allows exactly <paramref name="allowed"/>.</summary>
    public static ISpiffeAuthorizer Id(SpiffeId allowed)
    {
        RequireNonZero(allowed, nameof(allowed));
        return new PredicateAuthorizer(peer =>
            peer == allowed ? null : $"unexpected ID \"{peer}\" (expected \"{allowed}\")");
    }

    /// <summary>Allows any of <paramref name="allowed"/>.</summary>
    public static ISpiffeAuthorizer OneOf(params IEnumerable<SpiffeId> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var set = allowed.ToFrozenSet();
        foreach (var id in set)
        {
            RequireNonZero(id, nameof(allowed));
        }

        return new PredicateAuthorizer(peer =>
            set.Contains(peer) ? null : $"unexpected ID \"{peer}\" (not one of {set.Count} allowed IDs)");
    }

    /// <summary>Allows any ID of <paramref name="trustDomain"/>.</summary>
    public static ISpiffeAuthorizer MemberOf(TrustDomain trustDomain)
    {
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("spiffetls: the trust domain is the zero value", nameof(trustDomain));
        }

        return new PredicateAuthorizer(peer =>
            peer.IsMemberOf(trustDomain)
                ? null
                : $"unexpected trust domain \"{peer.TrustDomain}\" (expected \"{trustDomain}\")");
    }

    /// <summary>Allows the IDs for which <paramref name="predicate"/> returns true; <paramref name="description"/>
    /// names the rule in denial reasons.</summary>
    public static ISpiffeAuthorizer Predicate(Func<SpiffeId, bool> predicate, string description = "predicate")
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentException.ThrowIfNullOrEmpty(description);
        return new PredicateAuthorizer(peer => predicate(peer) ? null : $"ID \"{peer}\" rejected by {description}");
    }

    private static void RequireNonZero(SpiffeId id, string name)
    {
        if (id.IsZero)
        {
            throw new ArgumentException("spiffetls: the SPIFFE ID is the zero value", name);
        }
    }

    /// <summary>An authorizer from a function returning null (allow) or a denial reason.</summary>
    private sealed class PredicateAuthorizer(Func<SpiffeId, string?> decide) : ISpiffeAuthorizer
    {
        public SpiffeAuthorizationResult Authorize(
            SpiffeId peerId,
            IReadOnlyList<IReadOnlyList<X509Certificate2>> verifiedChains) =>
            decide(peerId) is { } reason ? SpiffeAuthorizationResult.Denied(reason) : SpiffeAuthorizationResult.Allowed;
    }
}
