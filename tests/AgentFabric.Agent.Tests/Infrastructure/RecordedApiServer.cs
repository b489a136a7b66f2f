using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Agent.Tests.Infrastructure;

/// <summary>A local HTTP server on a Unix socket that replays recorded API responses (Docker Engine, kubelet), since
/// neither engine runs on these machines. Unknown paths answer 404 like the engines do.</summary>
internal sealed class RecordedApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordedApiServer(WebApplication app, string socketPath)
    {
        _app = app;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public List<string> Requests { get; } = [];

    public static async Task<RecordedApiServer> StartAsync(IReadOnlyDictionary<string, (int Status, string Body)> responses)
    {
        string socketPath = SelfProcess.NewSocketPath();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath));
        var app = builder.Build();
        RecordedApiServer? server = null;
        app.Run(async context =>
        {
            string path = context.Request.Path.Value ?? "/";
            lock (server!.Requests)
            {
                server.Requests.Add(context.Request.Method + " " + path);
            }

            if (responses.TryGetValue(path, out var recorded))
            {
                context.Response.StatusCode = recorded.Status;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(recorded.Body);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                await context.Response.WriteAsync("{\"message\":\"page not found\"}");
            }
        });
        server = new RecordedApiServer(app, socketPath);
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(SocketPath)!, recursive: true);
    }
}
