using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using AgentFabric.Spiffe.Tls;

namespace AgentFabric.Spiffe.Tests.Tls;

/// <summary>
/// A TLS listener on 127.0.0.1 that authenticates each connection with a <see cref="ServerOptionsSelectionCallback"/>,
/// records the outcome (peer ID or exception), answers "ok\n" and closes. Never restarted between handshakes.
/// </summary>
internal sealed class LoopbackTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ServerOptionsSelectionCallback _selector;
    private readonly Channel<ServerOutcome> _outcomes = Channel.CreateUnbounded<ServerOutcome>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public LoopbackTlsServer(ServerOptionsSelectionCallback selector)
    {
        _selector = selector;
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async Task<ServerOutcome> NextOutcomeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _outcomes.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            await using var ssl = new SslStream(client.GetStream());
            ServerOutcome outcome;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await ssl.AuthenticateAsServerAsync(_selector, null, timeout.Token);
                SpiffeId? peer = ssl.RemoteCertificate is null ? null : SpiffeTls.GetPeerId(ssl);
                outcome = new ServerOutcome(peer, ssl.SslProtocol, null);
            }
            catch (Exception ex)
            {
                outcome = new ServerOutcome(null, default, ex);
            }

            if (outcome.Error is null)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await ssl.WriteAsync("ok\n"u8.ToArray(), timeout.Token);
                    await ssl.FlushAsync(timeout.Token);
                    await ssl.ShutdownAsync(); // close_notify, so that clients see a clean end of stream
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException)
                {
                    // The client may already have gone (e.g. openssl s_client on end of input).
                }
            }

            await _outcomes.Writer.WriteAsync(outcome);
        }
    }
}

internal sealed record ServerOutcome(SpiffeId? PeerId, System.Security.Authentication.SslProtocols Protocol, Exception? Error);
