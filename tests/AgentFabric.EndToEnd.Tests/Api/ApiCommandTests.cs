using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.WorkloadApi;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Cli.Api;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.EndToEnd.Tests.Api;

/// <summary><c>agentfabric api ...</c> against a running agent endpoint.</summary>
public sealed class ApiCommandTests : AgentEndpointTestBase, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("af-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand { ApiCommand.Create() };
        int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task FetchX509_Write_WritesSvidKeyAndBundleLikeSpireAgent()
    {
        Provider.SetEntries(new RegistrationEntry("e1", SpiffeId.Parse("spiffe://example.org/cli"), [SelfProcess.UidSelector]));

        var (code, output, error) = await RunAsync("api", "fetch", "x509", "-socketPath", Endpoint.SocketPath, "-write", _dir);

        Assert.True(code == 0, error);
        Assert.StartsWith("Received 1 svid after ", output, StringComparison.Ordinal);
        Assert.Contains("SPIFFE ID:\t\tspiffe://example.org/cli", output, StringComparison.Ordinal);
        var svid = X509Svid.Load(Path.Combine(_dir, "svid.0.pem"), Path.Combine(_dir, "svid.0.key"));
        var bundle = X509Bundle.Load(Provider.TrustDomain, Path.Combine(_dir, "bundle.0.pem"));
        Assert.Equal("spiffe://example.org/cli", X509SvidVerifier.Verify(svid.Certificates, bundle, TimeProvider.System).Id.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "svid.0.key")));
    }

    [Fact]
    public async Task FetchJwt_ThenValidateJwt()
    {
        Provider.SetEntries(new RegistrationEntry("e1", SpiffeId.Parse("spiffe://example.org/cli"), [SelfProcess.UidSelector]));

        var (code, output, error) = await RunAsync("api", "fetch", "jwt", "-socketPath", Endpoint.SocketPath, "-audience", "db,cache");
        Assert.True(code == 0, error);
        Assert.StartsWith("token(spiffe://example.org/cli):\n\t", output, StringComparison.Ordinal);
        string token = output.Split('\n')[1].Trim();
        Assert.Contains("bundle(spiffe://example.org):", output, StringComparison.Ordinal);

        var valid = await RunAsync("api", "validate", "jwt", "-socketPath", Endpoint.SocketPath, "-audience", "cache", "-svid", token);
        var invalid = await RunAsync("api", "validate", "jwt", "-socketPath", Endpoint.SocketPath, "-audience", "other", "-svid", token);

        Assert.Equal(0, valid.Code);
        Assert.StartsWith("SVID is valid.\nSPIFFE ID : spiffe://example.org/cli\nClaims    : {", valid.Out, StringComparison.Ordinal);
        Assert.Equal(1, invalid.Code);
        Assert.StartsWith("error: workloadapi: ValidateJWTSVID failed: InvalidArgument: jwtsvid:", invalid.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchX509_NoIdentity_ReportsSelectors()
    {
        var (code, _, error) = await RunAsync("api", "fetch", "x509", "-socketPath", Endpoint.SocketPath);

        Assert.Equal(1, code);
        Assert.StartsWith("error: workloadapi: FetchX509SVID failed: PermissionDenied: no identity issued (selectors: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchJwt_InvalidSpiffeId_Rejected()
    {
        var (code, _, error) = await RunAsync("api", "fetch", "jwt", "-socketPath", Endpoint.SocketPath, "-audience", "a", "-spiffeID", "http://x");

        Assert.Equal(1, code);
        Assert.StartsWith("error: -spiffeID: ", error, StringComparison.Ordinal);
    }
}
