using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Cli.Tests.Server;

/// <summary><c>x509 mint</c> and <c>jwt mint</c> against a real server, run in-process.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class MintCommandsTests : IClassFixture<CliServerFixture>
{
    private readonly CliServerFixture _server;

    public MintCommandsTests(CliServerFixture server) => _server = server;

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRun.InvokeAsync([.. args, "-socketPath", _server.SocketPath]);

    [Fact]
    public async Task X509Mint_Write_WritesSvidKeyAndBundle_ThatVerifyWithTheSdk()
    {
        var dir = Path.Combine(_server.Dir, "mint-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        var (exit, stdout, stderr) = await Run("x509", "mint", "-spiffeID", "spiffe://agentvault.com/tool", "-ttl", "10m", "-dns", "tool.local", "-write", dir);
        Assert.Equal((0, ""), (exit, stderr));
        Assert.Equal($"X509-SVID written to {dir}/svid.pem\nPrivate key written to {dir}/key.pem\nRoot CAs written to {dir}/bundle.pem\n", stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "key.pem")));

        var svid = X509Svid.Load(Path.Combine(dir, "svid.pem"), Path.Combine(dir, "key.pem"));
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(Path.Combine(dir, "bundle.pem"));
        var verified = X509SvidVerifier.Verify(svid.Certificates, new X509Bundle(TrustDomain.Parse("agentvault.com"), roots), TimeProvider.System);
        Assert.Equal("spiffe://agentvault.com/tool", verified.Id.ToString());
        var lifetime = svid.Certificates[0].NotAfter.ToUniversalTime() - DateTime.UtcNow;
        Assert.InRange(lifetime, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal(["tool.local"], svid.Certificates[0].Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
    }

    [Fact]
    public async Task X509Mint_ToStdout_PrintsThePemBlocksAsSpire()
    {
        var (exit, stdout, stderr) = await Run("x509", "mint", "-spiffeID", "spiffe://agentvault.com/tool");
        Assert.Equal((0, ""), (exit, stderr));
        Assert.StartsWith("X509-SVID:\n-----BEGIN CERTIFICATE-----\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\n\nPrivate key:\n-----BEGIN PRIVATE KEY-----\n", stdout, StringComparison.Ordinal);
        Assert.Contains("-----END PRIVATE KEY-----\n\nRoot CAs:\n-----BEGIN CERTIFICATE-----\n", stdout, StringComparison.Ordinal);
        Assert.EndsWith("-----END CERTIFICATE-----\n\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JwtMint_PrintsAToken_ThatParsesWithTheBundle_AndWritesAFile()
    {
        var (exit, stdout, stderr) = await Run("jwt", "mint", "-spiffeID", "spiffe://agentvault.com/tool", "-audience", "a", "-audience", "b", "-ttl", "90s");
        Assert.Equal((0, ""), (exit, stderr));
        var bundle = await _server.Host.Runtime.Bundles.GetOwnAsync();
        var spiffeBundle = AgentFabric.Server.Federation.StoredBundleFormat.ToSpiffeBundle(
            TrustDomain.Parse("agentvault.com"), AgentFabric.Server.Federation.BundleService.ParsePem(bundle.X509AuthoritiesPem), bundle.JwtAuthoritiesJson, 0, 0);
        var svid = JwtSvid.Parse(stdout.TrimEnd('\n'), spiffeBundle, ["b"]);
        Assert.Equal("spiffe://agentvault.com/tool", svid.Id.ToString());
        Assert.Equal(["a", "b"], svid.Audience);
        Assert.InRange(svid.Expiry - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(90));

        var path = Path.Combine(_server.Dir, "token-" + Guid.NewGuid().ToString("N")[..6]);
        var written = await Run("jwt", "mint", "-spiffeID", "spiffe://agentvault.com/tool", "-audience", "a", "-write", path);
        Assert.Equal((0, $"JWT-SVID written to {path}\n", ""), written);
        Assert.Equal(3, File.ReadAllText(path).Split('.').Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData("Error: spiffeID must be specified\n", "x509", "mint")]
    [InlineData("Error: spiffeid: scheme is missing or invalid (expected \"spiffe://\")\n", "x509", "mint", "-spiffeID", "agentvault.com/tool")]
    [InlineData("Error: ca: SPIFFE ID \"spiffe://partner.com/tool\" is not a member of trust domain \"agentvault.com\"\n", "x509", "mint", "-spiffeID", "spiffe://partner.com/tool")]
    [InlineData("Error: -ttl must not be negative, got \"-5m\"\n", "x509", "mint", "-spiffeID", "spiffe://agentvault.com/tool", "-ttl", "-5m")]
    [InlineData("Error: -ttl \"soon\" is not a duration (e.g. 1h, 30m, 90s)\n", "x509", "mint", "-spiffeID", "spiffe://agentvault.com/tool", "-ttl", "soon")]
    [InlineData("Error: -ttl \"1000000h\" is out of range (at most 2147483647 seconds)\n", "x509", "mint", "-spiffeID", "spiffe://agentvault.com/tool", "-ttl", "1000000h")]
    [InlineData("Error: ca: DNS name \"a..b\" is not valid\n", "x509", "mint", "-spiffeID", "spiffe://agentvault.com/tool", "-dns", "a..b")]
    [InlineData("Error: spiffeID must be specified\n", "jwt", "mint", "-audience", "a")]
    [InlineData("Error: at least one audience must be specified\n", "jwt", "mint", "-spiffeID", "spiffe://agentvault.com/tool")]
    [InlineData("Error: ca: SPIFFE ID \"spiffe://partner.com/tool\" is not a member of trust domain \"agentvault.com\"\n", "jwt", "mint", "-spiffeID", "spiffe://partner.com/tool", "-audience", "a")]
    [InlineData("Error: -ttl must not be negative, got \"-1s\"\n", "jwt", "mint", "-spiffeID", "spiffe://agentvault.com/tool", "-audience", "a", "-ttl", "-1s")]
    public async Task BadMints_FailWithOneLine_AndExitCode1(string expected, params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);
        Assert.Equal((1, "", expected), (exit, stdout, stderr));
    }

    [Fact]
    public async Task X509Mint_TtlBeyondTheCa_IsCapped_WithSpiresWarning()
    {
        var (exit, _, stderr) = await Run("x509", "mint", "-spiffeID", "spiffe://agentvault.com/tool", "-ttl", "240h");
        Assert.Equal(0, exit);
        var expiry = _server.Host.Runtime.Ca.Active.NotAfter.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"X509-SVID lifetime was capped shorter than specified ttl; expires \"{expiry}\"\n", stderr);
    }
}
