using System.Globalization;
using System.Net;
using AgentFabric.Cli.Up;
using AgentFabric.Testing;

namespace AgentFabric.Up.Tests;

/// <summary>The HTTP readiness probes: ready on 2xx only, and what they saw otherwise; the policy server's probe is a
/// Data API query (POST with an empty input), which also runs its decision path once.</summary>
public sealed class ReadinessProbeTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Uri _base;
    private readonly List<(string Method, string Path, string Body)> _seen = [];

    public ReadinessProbeTests()
    {
        _base = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{LoopbackPorts.Next()}/"));
        _listener.Prefixes.Add(_base.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    [Fact]
    public async Task Decision_PostsAnEmptyInput_ReadyOn200()
    {
        var probe = ReadinessProbe.Decision(new Uri(_base, "v1/data/agentfabric/samples/research/allow"));
        Assert.Equal($"POST {_base}v1/data/agentfabric/samples/research/allow", probe.Description);
        Assert.Null(await probe.CheckAsync(CancellationToken.None));
        Assert.Equal([("POST", "/v1/data/agentfabric/samples/research/allow", """{"input":{}}""")], _seen);
    }

    [Fact]
    public async Task Http_NotReadyOnAnErrorStatus_SayingWhich()
    {
        Assert.Equal("HTTP 503", await ReadinessProbe.Http(new Uri(_base, "unavailable")).CheckAsync(CancellationToken.None));
        Assert.Equal([("GET", "/unavailable", "")], _seen);
    }

    [Fact]
    public async Task NothingListening_IsNotReady_WithTheReason()
    {
        var closed = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{LoopbackPorts.Next()}/health"));
        var reason = await ReadinessProbe.Decision(closed).CheckAsync(CancellationToken.None);
        Assert.StartsWith("Connection refused", reason, StringComparison.Ordinal);
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            lock (_seen)
            {
                _seen.Add((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, reader.ReadToEnd()));
            }

            context.Response.StatusCode = context.Request.Url.AbsolutePath == "/unavailable" ? 503 : 200;
            context.Response.Close();
        }
    }
}
