using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace AgentFabric.Cli.Tests.Server;

public class ServerCliTests : IClassFixture<CliServerFixture>
{
    private readonly CliServerFixture _server;

    public ServerCliTests(CliServerFixture server) => _server = server;

    [Fact]
    public async Task Seed003_EntryCreateExamples_BehaveAsSpire19Does()
    {
        // Seed 003, "Workload Registration", with spire-server replaced by agentfabric. Its first example mixes the
        // deprecated -ttl with -jwtSVIDTTL, which SPIRE 1.9+ refuses with this message; spelled with the two TTL flags
        // it registers what the seed meant.
        string[] seedFirst = ["entry", "create",
            "-parentID", "spiffe://agentvault.com/spire-agent",
            "-spiffeID", "spiffe://agentvault.com/service/teg-core",
            "-selector", "docker:label:com.agentvault.service:teg-core"];
        var mixed = await _server.AdminAsync([.. seedFirst, "-ttl", "3600", "-jwtSVIDTTL", "300"]);
        Assert.Equal((1, "Error: use x509SVIDTTL and jwtSVIDTTL flags or the deprecated ttl flag\n"), (mixed.Code, mixed.Err));
        var first = await _server.AdminAsync([.. seedFirst, "-x509SVIDTTL", "3600", "-jwtSVIDTTL", "300"]);
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("spiffe://agentvault.com/service/teg-core", first.Out, StringComparison.Ordinal);

        var second = await _server.AdminAsync("entry", "create",
            "-parentID", "spiffe://agentvault.com/service/registry-backend",
            "-spiffeID", "spiffe://agentvault.com/agent/agent123",
            "-selector", "k8s:pod-name:agent-123",
            "-ttl", "3600");
        Assert.True(second.Code == 0, second.Err);

        var shown = await _server.AdminAsync("entry", "show", "-spiffeID", "spiffe://agentvault.com/service/teg-core", "-output", "json");
        Assert.Equal(0, shown.Code);
        using var doc = JsonDocument.Parse(shown.Out);
        var entry = Assert.Single(doc.RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal("spiffe://agentvault.com/spire-agent", entry.GetProperty("parentId").GetString());
        Assert.Equal(3600, entry.GetProperty("x509SvidTtl").GetInt32());
        Assert.Equal(300, entry.GetProperty("jwtSvidTtl").GetInt32());
        Assert.Equal("docker", entry.GetProperty("selectors")[0].GetProperty("type").GetString());
        Assert.Equal("label:com.agentvault.service:teg-core", entry.GetProperty("selectors")[0].GetProperty("value").GetString());

        var bySelector = await _server.AdminAsync("entry", "show", "-selector", "k8s:pod-name:agent-123");
        Assert.Equal(0, bySelector.Code);
        Assert.StartsWith("Found 1 entry", bySelector.Out, StringComparison.Ordinal);
        Assert.Contains("spiffe://agentvault.com/agent/agent123", bySelector.Out, StringComparison.Ordinal);

        var id = entry.GetProperty("id").GetString()!;
        var updated = await _server.AdminAsync("entry", "update", "-entryID", id,
            "-parentID", "spiffe://agentvault.com/spire-agent", "-spiffeID", "spiffe://agentvault.com/service/teg-core",
            "-selector", "docker:label:com.agentvault.service:teg-core", "-x509SVIDTTL", "600", "-dns", "teg-core.local", "-output", "json");
        Assert.True(updated.Code == 0, updated.Err);
        using var updatedDoc = JsonDocument.Parse(updated.Out);
        Assert.Equal(600, updatedDoc.RootElement.GetProperty("x509SvidTtl").GetInt32());
        Assert.Equal("teg-core.local", updatedDoc.RootElement.GetProperty("dnsNames")[0].GetString());

        var deleted = await _server.AdminAsync("entry", "delete", "-entryID", id);
        Assert.Equal((0, $"Deleted entry with ID: {id}\n"), (deleted.Code, deleted.Out));
    }

    [Theory]
    [InlineData("spiffe://agentvault.com/Bad Id", "docker:x", "0", "Error: registration: invalid SPIFFE ID \"spiffe://agentvault.com/Bad Id\": spiffeid: path segment characters are limited to letters, numbers, dots, dashes, and underscores\n")]
    [InlineData("spiffe://agentvault.com/a", "dockr:x", "0", "Error: registration: unknown selector type \"dockr\" (known: aws_iid, azure_imds, azure_msi, docker, gcp_iit, http_challenge, join_token, k8s, k8s_psat, k8s_sat, spiffe_id, sshpop, systemd, tpm, unix, windows, x509pop)\n")]
    [InlineData("spiffe://agentvault.com/a", "docker:x", "-5", "Error: a positive x509-SVID TTL is required\n")]
    [InlineData("spiffe://agentvault.com/a", "nocolon", "0", "Error: selector \"nocolon\" must be of the form type:value\n")]
    public async Task InvalidEntries_ExitOneWithTheServersError(string spiffeId, string selector, string ttl, string error)
    {
        var result = await _server.AdminAsync("entry", "create", "-parentID", "spiffe://agentvault.com/node", "-spiffeID", spiffeId, "-selector", selector, "-x509SVIDTTL", ttl);
        Assert.Equal((1, error), (result.Code, result.Err));
    }

    [Fact]
    public async Task DuplicateEntry_IsRefused()
    {
        string[] args = ["entry", "create", "-parentID", "spiffe://agentvault.com/dup-parent", "-spiffeID", "spiffe://agentvault.com/dup", "-selector", "unix:uid:1"];
        Assert.Equal(0, (await _server.AdminAsync(args)).Code);
        var again = await _server.AdminAsync(args);
        Assert.Equal(1, again.Code);
        Assert.StartsWith("Error: registration: similar entry already exists (entry ID \"", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenAgentAndHealth()
    {
        var token = await _server.AdminAsync("token", "generate", "-spiffeID", "spiffe://agentvault.com/spire-agent", "-ttl", "300");
        Assert.Equal(0, token.Code);
        Assert.Matches("^Token: [0-9a-f-]{36}\n$", token.Out);
        var badTtl = await _server.AdminAsync("token", "generate", "-ttl", "0");
        Assert.Equal((1, "Error: -ttl must be a positive number of seconds, got 0\n"), (badTtl.Code, badTtl.Err));

        var agents = await _server.AdminAsync("agent", "list");
        Assert.Equal((0, "Found 0 attested agents\n"), (agents.Code, agents.Out));
        var evict = await _server.AdminAsync("agent", "evict", "-spiffeID", "spiffe://agentvault.com/spire/agent/join_token/none");
        Assert.Equal((1, "Error: registration: no attested agent \"spiffe://agentvault.com/spire/agent/join_token/none\"\n"), (evict.Code, evict.Err));

        var health = await _server.AdminAsync("healthcheck");
        Assert.Equal((0, "Server is healthy.\n"), (health.Code, health.Out));
        var down = await CliServerFixture.RunAsync("healthcheck", "-socketPath", Path.Combine(_server.Dir, "absent.sock"));
        Assert.Equal(1, down.Code);
        Assert.StartsWith("Server is unhealthy: ", down.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BundleShowSetListDelete()
    {
        var pem = await _server.AdminAsync("bundle", "show");
        Assert.Equal(0, pem.Code);
        var certs = new X509Certificate2Collection();
        certs.ImportFromPem(pem.Out);
        Assert.Equal(_server.Host.Runtime.Ca.Active.Certificate.Thumbprint, Assert.Single(certs).Thumbprint);

        var spiffe = await _server.AdminAsync("bundle", "show", "-format", "spiffe");
        using (var doc = JsonDocument.Parse(spiffe.Out))
        {
            Assert.Equal("x509-svid", doc.RootElement.GetProperty("keys")[0].GetProperty("use").GetString());
        }

        var badFormat = await _server.AdminAsync("bundle", "show", "-format", "der");
        Assert.Equal((1, "Error: -format \"der\" is not one of pem, spiffe\n"), (badFormat.Code, badFormat.Err));

        // Seed 003: bundle set -id spiffe://partner.com -path partner-bundle.crt
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Partner CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var partnerCa = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(_server.Dir, "partner-bundle.crt");
        await File.WriteAllTextAsync(path, partnerCa.ExportCertificatePem());
        var set = await _server.AdminAsync("bundle", "set", "-id", "spiffe://partner.com", "-path", path);
        Assert.True(set.Code == 0, set.Err);
        var own = await _server.AdminAsync("bundle", "set", "-id", "spiffe://agentvault.com", "-path", path);
        Assert.Equal((1, "Error: bundle: \"agentvault.com\" is the server's own trust domain; its bundle cannot be set\n"), (own.Code, own.Err));

        var list = await _server.AdminAsync("bundle", "list", "-id", "spiffe://partner.com");
        Assert.Equal(0, list.Code);
        Assert.Contains("* partner.com", list.Out, StringComparison.Ordinal);
        Assert.Contains(partnerCa.ExportCertificatePem().Split('\n')[1], list.Out, StringComparison.Ordinal);

        // The same CA as a SPIFFE bundle document (-format spiffe), with a refresh hint.
        var document = $$"""{"keys":[{"kty":"EC","use":"x509-svid","x5c":["{{Convert.ToBase64String(partnerCa.RawData)}}"]}],"spiffe_refresh_hint":120,"spiffe_sequence":9}""";
        var docPath = Path.Combine(_server.Dir, "partner.json");
        await File.WriteAllTextAsync(docPath, document);
        var setSpiffe = await _server.AdminAsync("bundle", "set", "-id", "spiffe://partner.com", "-path", docPath, "-format", "spiffe");
        Assert.True(setSpiffe.Code == 0, setSpiffe.Err);
        var listed = await _server.AdminAsync("bundle", "list", "-format", "spiffe", "-output", "json");
        using (var listedDoc = JsonDocument.Parse(listed.Out))
        {
            var b = Assert.Single(listedDoc.RootElement.GetProperty("bundles").EnumerateArray());
            Assert.Equal(("partner.com", "120"), (b.GetProperty("trustDomain").GetString(), b.GetProperty("refreshHint").GetString()));
        }

        await File.WriteAllTextAsync(docPath, """{"keys":[{"use":"x509-svid","x5c":[]}]}""");
        var badDoc = await _server.AdminAsync("bundle", "set", "-id", "spiffe://partner.com", "-path", docPath, "-format", "spiffe");
        Assert.Equal((1, "Error: spiffebundle: key 0 has no \"kty\" string\n"), (badDoc.Code, badDoc.Err));

        Assert.Equal(0, (await _server.AdminAsync("bundle", "delete", "-id", "spiffe://partner.com")).Code);
        var gone = await _server.AdminAsync("bundle", "delete", "-id", "spiffe://partner.com");
        Assert.Equal((1, "Error: bundle: no bundle for trust domain \"partner.com\"\n"), (gone.Code, gone.Err));
    }

    [Fact]
    public async Task ServerRun_RejectsABadConfigWithItsError()
    {
        var path = Path.Combine(_server.Dir, "bad.json");
        await File.WriteAllTextAsync(path, """{ "server": { "data_dir": "/tmp/x" } }""");
        var result = await CliServerFixture.RunAsync("server", "run", "-config", path);
        Assert.Equal((1, "Error: config: trust_domain is required\n"), (result.Code, result.Err));
    }
}
