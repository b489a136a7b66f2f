using AgentFabric.PolicyServer.Hosting;

namespace AgentFabric.PolicyServer.Tests;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private const string Unauthorized = """{"code":"unauthorized","message":"request rejected by administrative policy"}""";
    private RunningPolicyServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningPolicyServer.StartAsync(new PolicyServerOptions
    {
        Authentication = PolicyServerAuthentication.Token,
        Tokens = ["reader-token"],
        AdminTokens = ["admin-token"],
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("GET", "v1/data", null, 401)]
    [InlineData("GET", "v1/data", "wrong", 401)]
    [InlineData("GET", "v1/data", "reader-token-and-more", 401)]
    [InlineData("GET", "v1/data", "reader-token", 200)]
    [InlineData("GET", "v1/data", "admin-token", 200)]
    [InlineData("POST", "v1/query", "reader-token", 200)]
    [InlineData("PUT", "v1/data/x", "reader-token", 401)]
    [InlineData("PUT", "v1/data/x", "admin-token", 204)]
    [InlineData("PUT", "v1/policies/p", "reader-token", 401)]
    [InlineData("PUT", "v1/policies/p", null, 401)]
    [InlineData("PUT", "v1/policies/p", "admin-token", 200)]
    [InlineData("GET", "health", null, 200)]
    [InlineData("GET", "metrics", null, 200)]
    public async Task TokensAndAdminWrites(string method, string path, string? token, int status)
    {
        var body = path switch
        {
            "v1/policies/p" => "package p\n\nx := 1\n",
            "v1/query" => """{"query":"x := 1"}""",
            _ => method == "PUT" ? "1" : null,
        };
        var (actual, text) = await _server.SendAsync(new HttpMethod(method), path, body, path.StartsWith("v1/policies", StringComparison.Ordinal) ? "text/plain" : "application/json", token);
        Assert.Equal(status, actual);
        if (status == 401)
        {
            Assert.Equal(Unauthorized, text);
        }
    }

    [Fact]
    public async Task AnotherSchemeIsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/data");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic cmVhZGVyLXRva2Vu");
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(401, (int)response.StatusCode);
    }

    [Theory]
    [InlineData(PolicyServerAuthentication.Token, null, null, "--authentication=token needs at least one reader or admin token (--token-file, --admin-token-file)")]
    [InlineData(PolicyServerAuthentication.Tls, null, null, "--authentication=tls needs --tls-cert-file, --tls-private-key-file, --tls-ca-cert-file and --trust-domain")]
    [InlineData(PolicyServerAuthentication.Off, "c.pem", null, "--tls-cert-file and --tls-private-key-file must be given together")]
    public void InconsistentOptionsAreRefused(PolicyServerAuthentication authentication, string? cert, string? key, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => PolicyServerHost.Create(new PolicyServerOptions { Authentication = authentication, TlsCertFile = cert, TlsPrivateKeyFile = key }));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:8181", null, 8181)]
    [InlineData(":8181", "0.0.0.0", 8181)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("[::1]:9000", "::1", 9000)]
    public void Addresses(string address, string? ip, int port)
    {
        var (parsed, parsedPort) = PolicyServerHost.ParseAddress(address);
        Assert.Equal(ip, parsed?.ToString());
        Assert.Equal(port, parsedPort);
    }

    [Theory]
    [InlineData("8181", "invalid address '8181': want host:port")]
    [InlineData("example.org:80", "invalid address 'example.org:80': the host must be an IP address or localhost")]
    [InlineData("localhost:99999", "invalid address 'localhost:99999': want host:port")]
    public void BadAddresses(string address, string message)
    {
        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => PolicyServerHost.ParseAddress(address)).Message, StringComparison.Ordinal);
    }
}
