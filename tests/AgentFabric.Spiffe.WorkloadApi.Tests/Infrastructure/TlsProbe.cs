using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tls;

namespace AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>What one mutual-TLS handshake against the workload's port showed.</summary>
/// <param name="PresentedId">The SPIFFE ID the workload presented (null when the handshake failed before).</param>
/// <param name="AcceptedPeer">The probe's SPIFFE ID as the workload accepted it, or null when it rejected the probe.</param>
/// <param name="ServerError">Why the workload's side failed, or null.</param>
internal sealed record ProbeResult(SpiffeId? PresentedId, SpiffeId? AcceptedPeer, string? ServerError);

/// <summary>
/// The catalogue's "X.509 port": the workload under test runs a SPIFFE mTLS server on 127.0.0.1 fed only by its
/// <see cref="X509Source"/> (SVID and bundles); the probe dials it with its own SVID and verifies the workload against
/// the probe's trust. The results are what the two sides of a real TLS 1.3 handshake saw.
/// </summary>
internal static class TlsProbe
{
    public static async Task<ProbeResult> DialAsync(X509Source workload, X509Svid probeSvid, IX509BundleSource probeTrust)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var serverTask = ServeOnceAsync(listener, workload, timeout.Token);

        SpiffeId? presented = null;
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, timeout.Token);
            await using var ssl = new SslStream(client.GetStream());
            try
            {
                await ssl.AuthenticateAsClientAsync(
                    SpiffeTls.CreateMtlsClientOptions(probeSvid, probeTrust, SpiffeAuthorizer.Any()),
                    timeout.Token);
                presented = SpiffeTls.GetPeerId(ssl);
                // TLS 1.3: the server's verdict on our certificate arrives after the handshake; read to learn it.
                var buffer = new byte[3];
                _ = await ssl.ReadAsync(buffer, timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
            {
                // The server side records the reason.
            }
        }

        var (accepted, error) = await serverTask;
        return new ProbeResult(presented, accepted, error);
    }

    private static async Task<(SpiffeId? Accepted, string? Error)> ServeOnceAsync(
        TcpListener listener,
        X509Source workload,
        CancellationToken cancellationToken)
    {
        using var connection = await listener.AcceptTcpClientAsync(cancellationToken);
        await using var ssl = new SslStream(connection.GetStream());
        try
        {
            await ssl.AuthenticateAsServerAsync(
                SpiffeTls.MtlsServer(workload, workload, SpiffeAuthorizer.Any()),
                null,
                cancellationToken);
            var peer = SpiffeTls.GetPeerId(ssl);
            await ssl.WriteAsync("ok"u8.ToArray(), cancellationToken);
            return (peer, null);
        }
        catch (Exception ex)
        {
            return (null, ex.GetBaseException().Message);
        }
    }
}
