using System.Security.Claims;
using AgentFabric.Edge.Federation;

namespace AgentFabric.Edge.Tests.Federation;

/// <summary>Which upstream claims become ours, and what is refused.</summary>
public sealed class UpstreamClaimMapperTests
{
    private static ClaimsPrincipal Asserted(params (string Type, string Value, string ValueType)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value, c.ValueType)), "upstream"));

    [Theory]
    // Defaults: sub, name, preferred_username, email; no roles unless a roles claim is named.
    [InlineData(null, "sub=u1;name=Carol C;preferred_username=carol;email=c@x;roles=admin",
        "sub=corp:u1;idp=corp;name=Carol C;preferred_username=carol;email=c@x")]
    // Roles from a JSON array claim (RFC 7519 §2), deduplicated.
    [InlineData("roles", "sub=u1;roles=[\"admin\",\"ops\",\"admin\"]",
        "sub=corp:u1;idp=corp;role=admin;role=ops")]
    // Roles as repeated claims.
    [InlineData("groups", "sub=u1;groups=a;groups=b",
        "sub=corp:u1;idp=corp;role=a;role=b")]
    // Upstream claims that are not mapped never cross over, even ones that mean something here.
    [InlineData(null, "sub=u1;idp=evil;act={\"sub\":\"x\"};scope=admin",
        "sub=corp:u1;idp=corp")]
    public void TryMap_MapsOnlyTheConfiguredClaims(string? rolesClaim, string asserted, string expected)
    {
        var upstream = new UpstreamProvider { Name = "corp", RolesClaim = rolesClaim };
        var claims = asserted.Split(';').Select(c => c.Split('=', 2))
            .Select(c => (c[0], c[1], c[1].StartsWith('[') ? "JSON_ARRAY" : ClaimValueTypes.String)).ToArray();
        Assert.True(UpstreamClaimMapper.TryMap(upstream, Asserted(claims), "login", out var identity, out var error));
        Assert.Null(error);
        Assert.Equal(expected, string.Join(";", identity!.Claims.Select(c => c.Type + "=" + c.Value)));
        Assert.Equal("login", identity.AuthenticationType);
    }

    [Theory]
    [InlineData("", "Corp SSO did not say who you are (its token has no \"sub\" claim).")]
    [InlineData("sub=", "Corp SSO did not say who you are (its token has no \"sub\" claim).")]
    [InlineData("sub=a;sub=b", "Corp SSO sent more than one \"sub\" claim.")]
    public void TryMap_RefusesAMissingOrAmbiguousSubject(string asserted, string expected)
    {
        var upstream = new UpstreamProvider { Name = "corp", DisplayName = "Corp SSO" };
        var claims = asserted.Length == 0 ? [] : asserted.Split(';').Select(c => c.Split('=', 2)).Select(c => (c[0], c[1], ClaimValueTypes.String)).ToArray();
        Assert.False(UpstreamClaimMapper.TryMap(upstream, Asserted(claims), "login", out var identity, out var error));
        Assert.Null(identity);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("oid", "sub=pairwise;oid=object-id", "corp:object-id")]
    [InlineData("email", "sub=s;email=carol@corp.example", "corp:carol@corp.example")]
    public void SubjectClaim_CanBeAnotherClaim(string subjectClaim, string asserted, string expectedSubject)
    {
        var upstream = new UpstreamProvider { Name = "corp", SubjectClaim = subjectClaim };
        var claims = asserted.Split(';').Select(c => c.Split('=', 2)).Select(c => (c[0], c[1], ClaimValueTypes.String)).ToArray();
        Assert.True(UpstreamClaimMapper.TryMap(upstream, Asserted(claims), "login", out var identity, out _));
        Assert.Equal(expectedSubject, identity!.FindFirst("sub")!.Value);
    }
}
