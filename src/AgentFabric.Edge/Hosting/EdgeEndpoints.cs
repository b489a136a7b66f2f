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
}
