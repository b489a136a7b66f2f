using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using AgentFabric.Spiffe.Tls;

namespace AgentFabric.Spiffe.Tests.Tls;

/// <summary>Connects to 127.0.0.1, authenticates with the given options and reads the server's "ok\n".</summary>
internal static class LoopbackTlsClient
{
    public static async Task<ClientOutcome> ConnectAsync(int port, SslClientAuthenticationOptions options)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var ssl = new SslStream(tcp.GetStream());
        try
        {
            await ssl.AuthenticateAsClientAsync(options, timeout.Token);
            var serverId = SpiffeTls.GetPeerId(ssl);

            // TLS 1.3: the server checks our certificate after our side finished; a rejection arrives on first read.
            var buffer = new byte[3];
            int read = await ssl.ReadAtLeastAsync(buffer, 3, throwOnEndOfStream: false, timeout.Token);
            string reply = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            return read == 3
                ? new ClientOutcome(serverId, ssl.SslProtocol, reply, null)
                : new ClientOutcome(serverId, ssl.SslProtocol, reply, new IOException("server closed the connection"));
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return new ClientOutcome(null, default, null, ex);
        }
    }
}

internal sealed record ClientOutcome(SpiffeId? ServerId, SslProtocols Protocol, string? Reply, Exception? Error);
