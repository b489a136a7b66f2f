using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tests.Pki;
using AgentFabric.Spiffe.Tls;

namespace AgentFabric.Spiffe.Tests.Tls;

/// <summary>
/// Interop with a TLS stack that is not .NET's SslStream API: the openssl command line, verifying with our marshalled
/// PEM bundle at the test clock's time (<c>-attime</c>).
/// </summary>
public sealed class OpenSslInteropTests : IDisposable
{
    private static readonly long s_attime = TestClock.Now.ToUnixTimeSeconds();
    private readonly string _dir = Directory.CreateTempSubdirectory("spiffe-openssl").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // XS: openssl s_client, trusting only the bundle's root, verifies our server's full chain; our server verifies
    // and authorizes the client SVID openssl presents with its intermediate.
    [Fact]
    public async Task XS_OpenSslClient_MutualTlsWithFullChains()
    {
        var serverSvid = X509Svid.Create(TestPki.Chain(TestPki.Intermediate, "spiffe://example.org/server"));
        var clientSvid = X509Svid.Create(TestPki.Chain(TestPki.Intermediate, "spiffe://example.org/openssl"));
        await using var server = new LoopbackTlsServer(SpiffeTls.MtlsServer(
            serverSvid,
            TestPki.Bundle,
            SpiffeAuthorizer.Id(clientSvid.Id),
            TestClock.Provider));

        string bundle = Write("bundle.pem", TestPki.Bundle.Marshal());
        var (certs, key) = clientSvid.Marshal();
        string leaf = Write("client.pem", Pem(clientSvid.Leaf));
        string chain = Write("client-chain.pem", certs);
        string keyFile = Write("client.key", key);

        var (exit, output) = await RunOpenSslAsync(
            "s_client", "-connect", $"127.0.0.1:{server.Port}", "-tls1_3", "-CAfile", bundle,
            "-attime", s_attime.ToString(CultureInfo.InvariantCulture), "-verify_return_error",
            "-cert", leaf, "-cert_chain", chain, "-key", keyFile, "-showcerts");
        var outcome = await server.NextOutcomeAsync();

        Assert.True(exit == 0, output);
        Assert.Contains("Verify return code: 0 (ok)", output, StringComparison.Ordinal);
        Assert.Contains(" 1 s:", output, StringComparison.Ordinal); // the intermediate was sent
        Assert.Contains("TLSv1.3", output, StringComparison.Ordinal);
        Assert.Null(outcome.Error);
        Assert.Equal(clientSvid.Id, outcome.PeerId);
    }

    // Our marshalled SVID and bundle are plain RFC 5280 material for openssl verify.
    [Fact]
    public async Task MarshalledSvid_VerifiesWithOpenSsl()
    {
        var svid = X509Svid.Create(TestPki.Chain(TestPki.Intermediate, "spiffe://example.org/web"));
        var (certs, _) = svid.Marshal();
        string bundle = Write("bundle.pem", TestPki.Bundle.Marshal());
        string chain = Write("chain.pem", certs);
        string leaf = Write("leaf.pem", Pem(svid.Leaf));

        var (exit, output) = await RunOpenSslAsync(
            "verify", "-attime", s_attime.ToString(CultureInfo.InvariantCulture),
            "-CAfile", bundle, "-untrusted", chain, leaf);

        Assert.True(exit == 0, output);
        Assert.Contains(": OK", output, StringComparison.Ordinal);
    }

    private static byte[] Pem(X509Certificate2 certificate) =>
        Encoding.ASCII.GetBytes(new string(PemEncoding.Write("CERTIFICATE", certificate.RawData)));

    private string Write(string name, byte[] content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static async Task<(int Exit, string Output)> RunOpenSslAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail("these interop tests need the openssl command line tool on PATH: " + ex.Message);
            throw;
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);

            // s_client: wait for the server's "ok" line before ending input, which closes the connection.
            await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
