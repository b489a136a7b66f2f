using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AgentFabric.Spiffe.WorkloadApi;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace AgentFabric.Cli.Up;

/// <summary>How <c>up</c> and <c>status</c> tell that a child is ready: one check, answering null when it is, or
/// what it saw when it is not (shown by <c>status</c> and in the error when a child never gets ready).</summary>
internal sealed class ReadinessProbe(string description, Func<CancellationToken, Task<string?>> check)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(3);

    /// <summary>What is asked, e.g. <c>GET http://127.0.0.1:8181/health</c>.</summary>
    public string Description { get; } = description;

    /// <summary>Null when ready; otherwise why not. Never throws but for cancellation by the caller.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        try
        {
            return await check(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "no answer within 3 s";
        }
    }

    /// <summary>An HTTP GET answered with a 2xx status.</summary>
    public static ReadinessProbe Http(Uri url) => HttpRequest($"GET {url}", () => new HttpRequestMessage(HttpMethod.Get, url));

    /// <summary>An OPA Data API query (<c>POST {"input": {}}</c>) answered with a 2xx status: the policy server decides,
    /// and its decision path has run once, so the first real decision does not pay for its start (JIT, 150+ ms).</summary>
    public static ReadinessProbe Decision(Uri url) => HttpRequest($"POST {url}", () => new HttpRequestMessage(HttpMethod.Post, url)
    {
        Content = new StringContent("""{"input":{}}""", System.Text.Encoding.UTF8, "application/json"),
    });

    private static ReadinessProbe HttpRequest(string description, Func<HttpRequestMessage> request) => new(description, async ct =>
    {
        using var http = new HttpClient();
        using var message = request();
        try
        {
            using var response = await http.SendAsync(message, ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    });

    /// <summary>A TCP connection accepted on 127.0.0.1 (for mTLS listeners, which answer nothing without an SVID).</summary>
    public static ReadinessProbe Tcp(int port) => new(string.Create(CultureInfo.InvariantCulture, $"TCP 127.0.0.1:{port}"), async ct =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct).ConfigureAwait(false);
            return null;
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    });

    /// <summary>The gRPC health service on the agent's Workload API socket answering SERVING (synced with the
    /// server), as <c>agentfabric agent healthcheck -socketPath</c> asks it.</summary>
    public static ReadinessProbe WorkloadSocket(string socketPath) => new($"gRPC health on {socketPath}", async ct =>
    {
        if (!File.Exists(socketPath))
        {
            return $"no socket at {socketPath}";
        }

        using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = UnixSocketConnector.CreateHandler(socketPath), DisposeHttpClient = true });
        try
        {
            var answer = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: ct);
            return answer.Status == HealthCheckResponse.Types.ServingStatus.Serving ? null : answer.Status.ToString();
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            return e.Status.Detail;
        }
    });
}
