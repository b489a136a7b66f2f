using AgentFabric.Edge.Endpoints;

namespace AgentFabric.Edge.Tests;

/// <summary>The sign-in page's CSP lets the browser follow the redirect back to the client after the form is posted
/// (CSP Level 3 §6.4.1 checks form-action on redirects), and adds nothing that is not a plain origin.</summary>
public sealed class LoginContentSecurityPolicyTests
{
    private const string Prefix = "default-src 'none'; style-src 'unsafe-inline'; form-action ";
    private const string Suffix = "; frame-ancestors 'none'";

    [Theory]
    [InlineData("/connect/authorize?client_id=web&redirect_uri=http%3A%2F%2F127.0.0.1%3A31740%2Fcallback&state=s", "'self' http://127.0.0.1:31740")]
    [InlineData("/connect/authorize?redirect_uri=https%3A%2F%2Fapp.example.org%2Fsignin-oidc", "'self' https://app.example.org")]
    [InlineData("/connect/authorize?redirect_uri=https%3A%2F%2Fapp.example.org%3A443%2Fcb", "'self' https://app.example.org")]
    [InlineData("/connect/authorize?redirect_uri=http%3A%2F%2F%5B%3A%3A1%5D%3A8080%2Fcb", "'self' http://[::1]:8080")]
    [InlineData("/connect/authorize", "'self'")] // no query
    [InlineData("/connect/authorize?client_id=web", "'self'")] // no redirect_uri
    [InlineData("/connect/authorize?redirect_uri=a&redirect_uri=b", "'self'")] // several: the request is invalid anyway
    [InlineData("/connect/authorize?redirect_uri=%2Fcallback", "'self'")] // relative
    [InlineData("/connect/authorize?redirect_uri=com.example.app%3A%2Fcallback", "'self'")] // a native app's scheme
    [InlineData("/connect/authorize?redirect_uri=javascript%3Aalert(1)", "'self'")]
    [InlineData("/connect/authorize?redirect_uri=https%3A%2F%2Fuser%3Apw%40app.example.org%2Fcb", "'self'")] // userinfo
    [InlineData("/connect/authorize?redirect_uri=https%3A%2F%2Fa.example.org%3Bscript-src%20*%2Fcb", "'self'")] // CSP syntax
    public void FormAction_AddsTheRedirectUrisOrigin_Only(string returnUrl, string formAction) =>
        Assert.Equal(Prefix + formAction + Suffix, LoginContentSecurityPolicy.For(returnUrl));
}
