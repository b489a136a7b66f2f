using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentFabric.Testing;

namespace ResearchAgents.Providers.Tests.Infrastructure;

/// <summary>
/// A raw TCP server on 127.0.0.1 that answers one HTTP request with headers declaring a longer body than it sends, then
/// closes its side cleanly (FIN): the client always sees the headers and then a body that ends too soon. (Kestrel can
/// only abort with a reset, which may overtake the headers.)
/// </summary>
internal sealed class CutShortServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Task _serving;

    private CutShortServer(TcpListener listener, int port)
    {
        _listener = listener;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _serving = ServeOneAsync();
    }

    public Uri BaseAddress { get; }

    public static CutShortServer Start()
    {
        int port = LoopbackPorts.Next();
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new CutShortServer(listener, port);
    }

    private async Task ServeOneAsync()
    {
        using var client = await _listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        await ReadRequestAsync(stream);
        byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"results\":[");
        await stream.WriteAsync(head);
        await stream.FlushAsync();
        client.Client.Shutdown(SocketShutdown.Send);
        byte[] drain = new byte[1024];
        while (await stream.ReadAsync(drain) > 0)
        {
            // Until the client closes its side.
        }
    }

    /// <summary>Reads the request's headers and its Content-Length body, so the answer comes after the whole request.</summary>
    private static async Task ReadRequestAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        byte[] buffer = new byte[4096];
        int headerEnd = -1;
        int contentLength = 0;
        while (true)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return;
            }

            received.AddRange(buffer.AsSpan(0, read));
            if (headerEnd < 0)
            {
                string text = Encoding.ASCII.GetString([.. received]);
                headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headerEnd >= 0)
                {
                    foreach (string line in text[..headerEnd].Split("\r\n"))
                    {
                        if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        {
                            contentLength = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }
                }
            }

            if (headerEnd >= 0 && received.Count >= headerEnd + 4 + contentLength)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (SocketException)
        {
            // Never connected to: stopping the listener ends the accept.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
