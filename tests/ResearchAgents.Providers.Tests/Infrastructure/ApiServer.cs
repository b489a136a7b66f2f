using System.Net;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResearchAgents.Providers.Tests.Infrastructure;

/// <summary>One request as the API under test received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>What the API answers: a status and a body; <see cref="Stall"/> answers nothing until the client gives up;
/// <see cref="DeclareLength"/> false sends the body chunked, with no Content-Length; <see cref="Location"/> is sent as
/// the Location header.</summary>
internal sealed record ApiReply(
    int Status, string Body, string ContentType = "application/json", bool DeclareLength = true, bool Stall = false, string? Location = null)
{
    public static ApiReply Json(string body, int status = 200) => new(status, body);
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel) standing in for Tavily, Gemini or an OpenAI-compatible endpoint, which we
/// do not own: it records every request and answers with <see cref="Reply"/>, in the format the test gives it.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RecordedRequest> _requests = [];
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ApiServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ApiReply Reply { get; set; } = ApiReply.Json("{}");

    /// <summary>Completes when the first request has arrived (its body read), for tests that act while it waits.</summary>
    public Task FirstRequest => _firstRequest.Task;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public RecordedRequest SingleRequest => Assert.Single(Requests);

    public static async Task<ApiServer> StartAsync(ApiReply? reply = null)
    {
        var port = LoopbackPorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new ApiServer(app, new Uri($"http://127.0.0.1:{port}/"));
        if (reply is not null)
        {
            server.Reply = reply;
        }

        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_requests)
        {
            _requests.Add(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body));
        }

        _firstRequest.TrySetResult();
        var reply = Reply;
        if (reply.Stall)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as the test intends.
            }

            return;
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.ContentType;
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(reply.Body);
        if (reply.Location is not null)
        {
            context.Response.Headers.Location = reply.Location;
        }

        if (reply.DeclareLength)
        {
            context.Response.ContentLength = bytes.Length;
        }

        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
