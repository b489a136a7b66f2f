namespace AgentFabric.Edge.Federation;

/// <summary>How a person signed in at an upstream provider becomes a subject of this edge.</summary>
public enum UpstreamSubjectMapping
{
    /// <summary>The default: <c>sub</c> is <c>{provider name}:{upstream subject}</c>, a person of the upstream only
    /// (no local account), whose name, email and roles come from the upstream's claims at each sign-in. The prefix
    /// keeps two providers (and local users, whose ids have no colon) from ever naming the same subject.</summary>
    Prefixed,

    /// <summary>The upstream vouches for a local account: the value of <see cref="UpstreamProvider.LocalUserClaim"/>
    /// must be the user name of a local user, who is then signed in (their <c>sub</c>, their claims); no such user,
    /// or a locked one, is refused.</summary>
    LocalUser,
}
