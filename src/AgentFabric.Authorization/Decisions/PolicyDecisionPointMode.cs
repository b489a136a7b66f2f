namespace AgentFabric.Authorization;

/// <summary>Where decisions are made.</summary>
public enum PolicyDecisionPointMode
{
    /// <summary>In process, with the native Rego engine and activated bundles.</summary>
    Embedded,

    /// <summary>By a server speaking OPA's REST Data API.</summary>
    Remote,
}
