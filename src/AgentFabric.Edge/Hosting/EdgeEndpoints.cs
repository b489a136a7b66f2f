namespace AgentFabric.Edge.Hosting;

/// <summary>The edge's endpoint paths, relative to the issuer.</summary>
public static class EdgeEndpoints
{
    public const string Authorize = "connect/authorize";
    public const string Token = "connect/token";
    public const string Introspect = "connect/introspect";
    public const string Revoke = "connect/revoke";
    public const string UserInfo = "connect/userinfo";
    public const string EndSession = "connect/endsession";
    public const string Login = "account/login";

    /// <summary>POST <c>account/upstream/{name}</c> starts a sign-in at upstream provider <c>name</c>.</summary>
    public const string UpstreamLogin = "account/upstream";

    /// <summary>The redirect URI the upstream providers send people back to (register <c>{issuer}account/upstream-callback</c>).</summary>
    public const string UpstreamCallback = "account/upstream-callback";
}
