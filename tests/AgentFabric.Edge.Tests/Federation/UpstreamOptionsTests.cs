using AgentFabric.Edge.Federation;
using AgentFabric.Edge.Hosting;

namespace AgentFabric.Edge.Tests.Federation;

/// <summary>A misconfigured upstream stops the edge at start with an <see cref="EdgeConfigException"/> naming it.</summary>
public sealed class UpstreamOptionsTests
{
    public static TheoryData<string, string> BadUpstreams => new()
    {
        { "name", "edge: an upstream's name must be 1-32 lowercase letters, digits or '-', not \"Corp SSO\"" },
        { "name-newline", "edge: an upstream's name must be 1-32 lowercase letters, digits or '-', not \"corp\n\"" },
        { "no-issuer", "edge: upstream \"corp\": the issuer must be an absolute http(s) URL without query or fragment, not \"\"" },
        { "issuer-query", "edge: upstream \"corp\": the issuer must be an absolute http(s) URL without query or fragment, not \"https://idp.example/?tenant=1\"" },
        { "issuer-scheme", "edge: upstream \"corp\": the issuer must be an absolute http(s) URL without query or fragment, not \"ftp://idp.example/\"" },
        { "no-client-id", "edge: upstream \"corp\": the client id is required" },
        { "two-secrets", "edge: upstream \"corp\": give the client secret one way only (the secret, a file or an environment variable)" },
        { "no-openid", "edge: upstream \"corp\": the scopes must include openid" },
        { "bad-scope", "edge: upstream \"corp\": \"a b\" is not a valid scope" },
        { "no-subject-claim", "edge: upstream \"corp\": the subject claim must be named" },
        { "blank-roles-claim", "edge: upstream \"corp\": the roles claim must be named or left out" },
        { "twice", "edge: upstream \"corp\" is configured twice" },
        { "secret-env-unset", "edge: upstream \"corp\": the environment variable AF_TEST_UNSET_SECRET_7F3A holding the client secret is not set" },
        { "secret-empty", "edge: upstream \"corp\": the client secret is empty" },
    };

    [Theory]
    [MemberData(nameof(BadUpstreams))]
    public async Task BadUpstream_FailsAtStart(string @case, string expected)
    {
        var options = new EdgeOptions { Issuer = new Uri("http://127.0.0.1:1/"), DataDirectory = Path.Combine(Path.GetTempPath(), "af-edge-" + Guid.NewGuid().ToString("N")) };
        var upstream = new UpstreamProvider { Name = "corp", Issuer = new Uri("https://idp.example/"), ClientId = "edge", ClientSecret = "s3cret" };
        switch (@case)
        {
            case "name": upstream.Name = "Corp SSO"; break;
            case "name-newline": upstream.Name = "corp\n"; break;
            case "no-issuer": upstream.Issuer = null; break;
            case "issuer-query": upstream.Issuer = new Uri("https://idp.example/?tenant=1"); break;
            case "issuer-scheme": upstream.Issuer = new Uri("ftp://idp.example/"); break;
            case "no-client-id": upstream.ClientId = " "; break;
            case "two-secrets": upstream.ClientSecretEnvironmentVariable = "CORP_SECRET"; break;
            case "no-openid": upstream.Scopes.Remove("openid"); break;
            case "bad-scope": upstream.Scopes.Add("a b"); break;
            case "no-subject-claim": upstream.SubjectClaim = ""; break;
            case "blank-roles-claim": upstream.RolesClaim = " "; break;
            case "twice": options.Upstreams.Add(new UpstreamProvider { Name = "corp", Issuer = new Uri("https://other.example/"), ClientId = "edge" }); break;
            case "secret-env-unset": upstream.ClientSecret = null; upstream.ClientSecretEnvironmentVariable = "AF_TEST_UNSET_SECRET_7F3A"; break;
            case "secret-empty": upstream.ClientSecret = ""; break;
        }

        options.Upstreams.Insert(0, upstream);
        try
        {
            var e = await Assert.ThrowsAsync<EdgeConfigException>(() => EdgeHost.BuildAsync(options));
            Assert.Equal(expected, e.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(options.DataDirectory))
            {
                Directory.Delete(options.DataDirectory, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("missing", false)]
    [InlineData("empty", false)]
    [InlineData("good", true)]
    public async Task SecretFile_IsReadAtStart(string @case, bool starts)
    {
        var dir = Path.Combine(Path.GetTempPath(), "af-edge-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "corp.secret");
        if (@case != "missing")
        {
            await File.WriteAllTextAsync(file, @case == "good" ? "s3cret\n" : "\n");
        }

        var upstream = new UpstreamProvider { Name = "corp", Issuer = new Uri("https://idp.example/"), ClientId = "edge", ClientSecretFile = file };
        Assert.Equal(starts ? "s3cret" : null, starts ? upstream.ResolveClientSecret() : null);
        if (!starts)
        {
            var e = Assert.Throws<EdgeConfigException>(upstream.ResolveClientSecret);
            Assert.Equal(@case == "missing"
                ? $"edge: upstream \"corp\": cannot read the client secret file {file}: Could not find file '{file}'."
                : $"edge: upstream \"corp\": the client secret file {file} is empty", e.Message);
        }

        Directory.Delete(dir, recursive: true);
    }
}
