using AgentFabric.Spiffe.Tls;

namespace AgentFabric.Spiffe.Tests.Tls;

public class SpiffeAuthorizerTests
{
    private static readonly SpiffeId s_web = SpiffeId.Parse("spiffe://example.org/web");
    private static readonly SpiffeId s_db = SpiffeId.Parse("spiffe://example.org/db");
    private static readonly SpiffeId s_foreign = SpiffeId.Parse("spiffe://foreign.test/web");

    public static TheoryData<string, string, string?> Cases => new()
    {
        { "any allows", "any:spiffe://example.org/web", null },
        { "id allows itself", "id:spiffe://example.org/web", null },
        { "id denies other", "id:spiffe://example.org/db",
            "unexpected ID \"spiffe://example.org/web\" (expected \"spiffe://example.org/db\")" },
        { "one-of allows member", "oneof:spiffe://example.org/web", null },
        { "one-of denies other", "oneof:spiffe://example.org/db",
            "unexpected ID \"spiffe://example.org/web\" (not one of 2 allowed IDs)" },
        { "member-of allows own trust domain", "memberof:example.org", null },
        { "member-of denies other trust domain", "memberof:foreign.test",
            "unexpected trust domain \"example.org\" (expected \"foreign.test\")" },
        { "predicate allows", "predicate:/web", null },
        { "predicate denies", "predicate:/db", "ID \"spiffe://example.org/web\" rejected by path is /db" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Authorizer_Decides(string name, string spec, string? reason)
    {
        Assert.NotNull(name);
        var (kind, arg) = (spec[..spec.IndexOf(':', StringComparison.Ordinal)], spec[(spec.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        var authorizer = kind switch
        {
            "any" => SpiffeAuthorizer.Any(),
            "id" => SpiffeAuthorizer.Id(SpiffeId.Parse(arg)),
            "oneof" => SpiffeAuthorizer.OneOf(SpiffeId.Parse(arg), s_foreign),
            "memberof" => SpiffeAuthorizer.MemberOf(TrustDomain.Parse(arg)),
            _ => SpiffeAuthorizer.Predicate(id => id.Path == arg, "path is " + arg),
        };

        var result = authorizer.Authorize(s_web, []);
        Assert.Equal(reason is null, result.IsAllowed);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Authorizers_RejectZeroValues()
    {
        Assert.Throws<ArgumentException>(() => SpiffeAuthorizer.Id(default));
        Assert.Throws<ArgumentException>(() => SpiffeAuthorizer.OneOf(s_db, default));
        Assert.Throws<ArgumentException>(() => SpiffeAuthorizer.MemberOf(default));
        Assert.Throws<ArgumentNullException>(() => SpiffeAuthorizer.Predicate(null!));
        Assert.Throws<ArgumentException>(() => SpiffeAuthorizationResult.Denied(""));
    }
}
