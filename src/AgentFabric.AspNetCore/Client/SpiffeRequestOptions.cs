namespace AgentFabric.AspNetCore;

/// <summary>Per-request settings of SPIFFE HttpClients, through <see cref="HttpRequestMessage.Options"/>.</summary>
public static class SpiffeRequestOptions
{
    /// <summary>The user token to exchange for this call, instead of the current request's exchanged token (e.g. the
    /// frontend's token from the person's login).</summary>
    public static readonly HttpRequestOptionsKey<string> SubjectToken = new("AgentFabric.SubjectToken");
}
