using System.Collections;
using System.Text.Json;
using AgentFabric.Server.Config;
using AgentFabric.Server.Federation;
using AgentFabric.Server.Hosting;

namespace AgentFabric.Cli.Tests.Server;

/// <summary>The <c>federation</c> group against a real server, run in-process; output as SPIRE prints it.</summary>
public class FederationCommandsTests : IClassFixture<CliServerFixture>
{
    private readonly CliServerFixture _server;

    public FederationCommandsTests(CliServerFixture server) => _server = server;

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRun.InvokeAsync([.. args, "-socketPath", _server.SocketPath]);

    private static string Block(string td, string url, string profile, string? endpoint = null) =>
        $"Trust domain              : {td}\nBundle endpoint URL       : {url}\nBundle endpoint profile   : {profile}\n" +
        (endpoint is null ? "" : $"Endpoint SPIFFE ID        : {endpoint}\n");

    [Fact]
    public async Task CreateListShowUpdateDelete_RoundTrip()
    {
        var bundlePath = Path.Combine(_server.Dir, "rt-bundle.pem");
        await File.WriteAllTextAsync(bundlePath, (await _server.Host.Runtime.Bundles.GetOwnAsync()).X509AuthoritiesPem);

        var created = await Run("federation", "create", "-trustDomain", "rt-one.org", "-bundleEndpointURL", "https://rt-one.org:8443",
            "-bundleEndpointProfile", "https_spiffe", "-endpointSpiffeID", "spiffe://rt-one.org/spire/server", "-trustDomainBundlePath", bundlePath);
        Assert.Equal((0, "\n" + Block("rt-one.org", "https://rt-one.org:8443", "https_spiffe", "spiffe://rt-one.org/spire/server"), ""), created);
        Assert.NotNull(Assert.Single(await _server.Host.Runtime.Bundles.ListFederatedAsync("rt-one.org")));

        var shown = await Run("federation", "show", "-trustDomain", "rt-one.org");
        Assert.Equal((0, "Found a federation relationship with trust domain rt-one.org:\n\n" + Block("rt-one.org", "https://rt-one.org:8443", "https_spiffe", "spiffe://rt-one.org/spire/server"), ""), shown);

        var updated = await Run("federation", "update", "-trustDomain", "rt-one.org", "-bundleEndpointURL", "https://web.rt-one.org/", "-bundleEndpointProfile", "https_web");
        Assert.Equal((0, "\n" + Block("rt-one.org", "https://web.rt-one.org/", "https_web"), ""), updated);

        var listed = await Run("federation", "list", "-output", "json");
        Assert.Equal(0, listed.Exit);
        using (var doc = JsonDocument.Parse(listed.Out))
        {
            var mine = doc.RootElement.GetProperty("federationRelationships").EnumerateArray().Single(r => r.GetProperty("trustDomain").GetString() == "rt-one.org");
            Assert.Equal(("https://web.rt-one.org/", "https_web"), (mine.GetProperty("bundleEndpointUrl").GetString(), mine.GetProperty("bundleEndpointProfile").GetString()));
        }

        Assert.Equal((0, "federation relationship deleted.\n", ""), await Run("federation", "delete", "-id", "spiffe://rt-one.org"));
        Assert.Equal((1, "", "Error: federation: no federation relationship with trust domain \"rt-one.org\"\n"), await Run("federation", "show", "-trustDomain", "rt-one.org"));
    }

    [Fact]
    public async Task CreateFromData_CreatesEach_AndReportsTheFailedOnes()
    {
        var data = Path.Combine(_server.Dir, "data.json");
        await File.WriteAllTextAsync(data, """
            {"federationRelationships": [
              {"trustDomain": "data-one.org", "bundleEndpointURL": "https://data-one.org/", "bundleEndpointProfile": "https_web"},
              {"trustDomain": "data-two.org", "bundleEndpointURL": "http://data-two.org/", "bundleEndpointProfile": "https_web"}
            ]}
            """);
        var (exit, stdout, stderr) = await Run("federation", "create", "-data", data);
        Assert.Equal(1, exit);
        Assert.Equal("\n" + Block("data-one.org", "https://data-one.org/", "https_web"), stdout);
        Assert.Equal(
            "\nFailed to create the following federation relationship (code: InvalidArgument, msg: \"federation: bundle endpoint URL \\\"http://data-two.org/\\\" must be an absolute https URL\"):\n" +
            Block("data-two.org", "http://data-two.org/", "https_web") +
            "Error: failed to create one or more federation relationships\n", stderr);

        var list = await Run("federation", "list");
        Assert.Contains("\n" + Block("data-one.org", "https://data-one.org/", "https_web"), list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("data-two.org", list.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Error: id is required\n", "federation", "delete")]
    [InlineData("Error: id is required\n", "federation", "refresh")]
    [InlineData("Error: a trust domain name is required\n", "federation", "show")]
    [InlineData("Error: there is no federation relationship with trust domain \"nowhere.org\"\n", "federation", "refresh", "-id", "nowhere.org")]
    [InlineData("Error: federation: no federation relationship with trust domain \"nowhere.org\"\n", "federation", "delete", "-id", "spiffe://nowhere.org")]
    [InlineData("Error: cannot use other flags to fill in federation relationship fields when 'data' flag is set\n", "federation", "create", "-data", "x.json", "-trustDomain", "a.org")]
    [InlineData("Error: bundle format \"jwks\" is unsupported (pem or spiffe)\n", "federation", "create", "-trustDomain", "a.org", "-bundleEndpointURL", "https://a.org/", "-bundleEndpointProfile", "https_web", "-trustDomainBundlePath", "/dev/null", "-trustDomainBundleFormat", "jwks")]
    public async Task BadInvocations_FailWithOneLine(string expected, params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);
        Assert.Equal((1, "", expected), (exit, stdout, stderr));
    }

    [Theory]
    [InlineData("federation: an endpoint SPIFFE ID is required for the https_spiffe profile", "-trustDomain", "bad.org", "-bundleEndpointURL", "https://bad.org/", "-bundleEndpointProfile", "https_spiffe")]
    [InlineData("federation: bundle endpoint URL \\\"ftp://bad.org/\\\" must be an absolute https URL", "-trustDomain", "bad.org", "-bundleEndpointURL", "ftp://bad.org/", "-bundleEndpointProfile", "https_web")]
    [InlineData("federation: bundle endpoint profile \\\"https\\\" is not one of https_web, https_spiffe", "-trustDomain", "bad.org", "-bundleEndpointURL", "https://bad.org/", "-bundleEndpointProfile", "https")]
    public async Task BadRelationships_AreReportedAsSpireReportsThem(string message, params string[] flags)
    {
        var (exit, stdout, stderr) = await Run(["federation", "create", .. flags]);
        Assert.Equal((1, ""), (exit, stdout));
        Assert.StartsWith($"\nFailed to create the following federation relationship (code: InvalidArgument, msg: \"{message}\"):\n", stderr, StringComparison.Ordinal);
        Assert.EndsWith("Error: failed to create one or more federation relationships\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_FetchesFromAPartnersBundleEndpoint()
    {
        var port = CliServerFixture.FreePort();
        var dir = Path.Combine("/tmp", "afp-" + Guid.NewGuid().ToString("N")[..10]);
        var json = $$"""
            {
              "trust_domain": "cli-partner.org", "bind_address": "127.0.0.1", "bind_port": {{CliServerFixture.FreePort()}},
              "socket_path": "{{dir}}/sock/api.sock", "data_dir": "{{dir}}/data", "health_checks": { "listener_enabled": false },
              "federation": { "bundle_endpoint": { "address": "127.0.0.1", "port": {{port}}, "refresh_hint": "9s" } }
            }
            """;
        await using (var partner = await ServerHost.StartAsync(ServerConfigLoader.Load(json, new Hashtable()), _ => { }))
        {
            var bundlePath = Path.Combine(_server.Dir, "partner.pem");
            await File.WriteAllBytesAsync(bundlePath, BundleService.CertificatePem(partner.Runtime.Ca.BundleAuthorities));
            var created = await Run("federation", "create", "-trustDomain", "cli-partner.org", "-bundleEndpointURL", $"https://127.0.0.1:{port}/",
                "-bundleEndpointProfile", "https_spiffe", "-endpointSpiffeID", "spiffe://cli-partner.org/spire/server", "-trustDomainBundlePath", bundlePath);
            Assert.Equal(0, created.Exit);

            Assert.Equal((0, "Bundle refreshed\n", ""), await Run("federation", "refresh", "-id", "spiffe://cli-partner.org"));
            var stored = Assert.Single(await _server.Host.Runtime.Bundles.ListFederatedAsync("cli-partner.org"));
            Assert.Equal(9, stored.RefreshHintSeconds);
            Assert.Equal(StoredBundleFormat.JwtAuthoritiesJson(partner.Runtime.Bundles.TrustDomain, partner.Runtime.Jwt.PublicAuthorities()), stored.JwtAuthoritiesJson);
        }

        Directory.Delete(dir, recursive: true);
    }
}
