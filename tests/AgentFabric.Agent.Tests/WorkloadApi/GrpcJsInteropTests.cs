using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.WorkloadApi;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Testing;
using Xunit.Abstractions;

namespace AgentFabric.Agent.Tests.WorkloadApi;

/// <summary>
/// An unmodified client generated at run time from the canonical workloadapi.proto (grpc-js + proto-loader from npm)
/// fetches an X.509-SVID from our agent: proof that our proto copy kept every name and number, and the no-package
/// method path /SpiffeWorkloadAPI/FetchX509SVID.
/// </summary>
public sealed class GrpcJsInteropTests(ITestOutputHelper output) : AgentEndpointTestBase
{
    // Installed once per machine into a test-owned temp folder; never committed.
    private static readonly string s_nodeModulesRoot = Path.Combine(Path.GetTempPath(), "agentfabric-grpcjs-interop");

    private const string Client = """
        const grpc = require('@grpc/grpc-js');
        const loader = require('@grpc/proto-loader');
        const [protoPath, socketPath, withHeader] = process.argv.slice(2);
        const def = loader.loadSync(protoPath, { keepCase: true, longs: String, defaults: true });
        const api = grpc.loadPackageDefinition(def);
        const client = new api.SpiffeWorkloadAPI('unix://' + socketPath, grpc.credentials.createInsecure());
        const md = new grpc.Metadata();
        if (withHeader === 'yes') md.add('workload.spiffe.io', 'true');
        const call = client.FetchX509SVID({}, md);
        call.on('data', (r) => {
          const s = r.svids[0];
          process.stdout.write(JSON.stringify({ spiffe_id: s.spiffe_id, x509_svid: s.x509_svid.toString('base64'),
            key_len: s.x509_svid_key.length, bundle: s.bundle.toString('base64') }));
          call.cancel();
          process.exit(0);
        });
        call.on('error', (e) => { process.stdout.write(JSON.stringify({ code: e.code, details: e.details })); process.exit(0); });
        setTimeout(() => { process.stdout.write(JSON.stringify({ timeout: true })); process.exit(2); }, 15000);
        """;

    [Fact]
    public async Task GrpcJsClientWithCanonicalProto_FetchesX509Svid()
    {
        string? proto = SharedReference.Find(Path.Combine("reference", "spiffe", "workloadapi.proto"));
        if (proto is null)
        {
            output.WriteLine("skipped: the shared reference folder (../shared/reference/spiffe/workloadapi.proto) was not found");
            return;
        }

        if (!await EnsureGrpcJsAsync())
        {
            return;
        }

        Provider.SetEntries(new RegistrationEntry("node", SpiffeId.Parse("spiffe://example.org/node-client"), [SelfProcess.UidSelector]));
        string script = Path.Combine(s_nodeModulesRoot, "fetch-x509.js");
        await File.WriteAllTextAsync(script, Client);

        var (code, stdout, stderr) = await ExternalProcess.RunAsync("node", [script, proto, Endpoint.SocketPath, "yes"], TimeSpan.FromSeconds(60), s_nodeModulesRoot);
        var (_, deniedOut, _) = await ExternalProcess.RunAsync("node", [script, proto, Endpoint.SocketPath, "no"], TimeSpan.FromSeconds(60), s_nodeModulesRoot);

        Assert.True(code == 0, $"node exited {code}: {stdout} {stderr}");
        using var result = JsonDocument.Parse(stdout);
        Assert.Equal("spiffe://example.org/node-client", result.RootElement.GetProperty("spiffe_id").GetString());
        var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(result.RootElement.GetProperty("x509_svid").GetString()!));
        var bundle = X509Bundle.FromDer(Provider.TrustDomain, Convert.FromBase64String(result.RootElement.GetProperty("bundle").GetString()!));
        var verified = X509SvidVerifier.Verify([leaf], bundle, TimeProvider.System);
        Assert.Equal("spiffe://example.org/node-client", verified.Id.ToString());
        Assert.True(result.RootElement.GetProperty("key_len").GetInt32() > 0);

        using var denied = JsonDocument.Parse(deniedOut);
        Assert.Equal(3, denied.RootElement.GetProperty("code").GetInt32()); // INVALID_ARGUMENT
        Assert.Equal("security header missing from request", denied.RootElement.GetProperty("details").GetString());
    }

    private async Task<bool> EnsureGrpcJsAsync()
    {
        Directory.CreateDirectory(s_nodeModulesRoot);
        if (File.Exists(Path.Combine(s_nodeModulesRoot, "node_modules", "@grpc", "grpc-js", "package.json")) &&
            File.Exists(Path.Combine(s_nodeModulesRoot, "node_modules", "@grpc", "proto-loader", "package.json")))
        {
            return true;
        }

        (int code, string stdout, string stderr) result;
        try
        {
            result = await ExternalProcess.RunAsync(
                "npm",
                ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", s_nodeModulesRoot, "@grpc/grpc-js", "@grpc/proto-loader"],
                TimeSpan.FromMinutes(3),
                s_nodeModulesRoot);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            output.WriteLine("skipped: npm is not available: " + ex.Message);
            return false;
        }

        if (result.code != 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"skipped: npm install failed ({result.code}): {result.stderr}"));
            return false;
        }

        return true;
    }
}
