using AgentFabric.Edge.Exchange;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>Settings of mTLS, trust sources and external issuers that cannot run, each with its exact message.</summary>
public sealed class TrustOptionsTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "bundles from a file and the Workload API", "edge: take trust bundles from a file or from the Workload API, not both" },
        { "mTLS endpoint over http", "edge: the mTLS endpoint \"http://127.0.0.1:9443/\" must be an https URL with path / and no query or fragment" },
        { "mTLS endpoint on the issuer's port", "edge: the mTLS endpoint needs a port of its own, not the issuer's 8080" },
        { "mTLS endpoint without a certificate", "edge: the mTLS endpoint needs a server certificate (a PEM certificate and key, or the Workload API's X.509-SVID)" },
        { "certificate without key", "edge: the mTLS certificate and its key go together" },
        { "external issuer without audience", "edge: external issuer https://idp.example.com/: the audience its tokens must carry is required" },
        { "external issuer allowing HS256", "edge: external issuer https://idp.example.com/: algorithm \"HS256\" is not allowed (asymmetric JWS algorithms only)" },
        { "external issuer with JWKS URI and file", "edge: external issuer https://idp.example.com/: a JWKS URI or a JWKS file, not both" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_ReportsTheExactError(string name, string message)
    {
        var options = new EdgeOptions { Issuer = new Uri("http://127.0.0.1:8080/"), DataDirectory = "/tmp/edge" };
        var external = new ExternalIssuer { Issuer = new Uri("https://idp.example.com/"), Audience = "edge" };
        switch (name)
        {
            case "bundles from a file and the Workload API":
                options.TrustBundlePath = "/etc/bundles.json";
                options.WorkloadApiAddress = "unix:///tmp/agent.sock";
                break;
            case "mTLS endpoint over http":
                options.MtlsEndpoint = new Uri("http://127.0.0.1:9443/");
                options.MtlsCertificatePath = "a.crt";
                options.MtlsKeyPath = "a.key";
                break;
            case "mTLS endpoint on the issuer's port":
                options.MtlsEndpoint = new Uri("https://127.0.0.1:8080/");
                options.WorkloadApiAddress = "unix:///tmp/agent.sock";
                break;
            case "mTLS endpoint without a certificate":
                options.MtlsEndpoint = new Uri("https://127.0.0.1:9443/");
                break;
            case "certificate without key":
                options.MtlsCertificatePath = "a.crt";
                break;
            case "external issuer without audience":
                external.Audience = "";
                break;
            case "external issuer allowing HS256":
                external.Algorithms.Add("HS256");
                break;
            case "external issuer with JWKS URI and file":
                external.JwksUri = new Uri("https://idp.example.com/jwks");
                external.JwksPath = "jwks.json";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such case");
        }

        options.ExternalIssuers.Add(external);
        Assert.Equal([message], options.Validate());
    }
}
