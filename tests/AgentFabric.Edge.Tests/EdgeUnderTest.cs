using System.Net;
using System.Text.Json;
using AgentFabric.Edge;
using AgentFabric.Edge.Clients;
using AgentFabric.Edge.Hosting;
using AgentFabric.Edge.Users;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Edge.Tests;

/// <summary>A real edge on 127.0.0.1 with a fresh data directory (SQLite), stopped and deleted on dispose.</summary>
public sealed class EdgeUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EdgeUnderTest(WebApplication app, EdgeOptions options)
    {
        _app = app;
        Options = options;
    }

    public EdgeOptions Options { get; }

    public Uri Issuer => Options.Issuer!;

    public IServiceProvider Services => _app.Services;

    public static async Task<EdgeUnderTest> StartAsync(Action<EdgeOptions>? configure = null, Action<IServiceCollection>? services = null, TimeProvider? timeProvider = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "af-edge-" + Guid.NewGuid().ToString("N"));
        var options = new EdgeOptions
        {
            Issuer = new Uri($"http://127.0.0.1:{LoopbackPorts.Next()}/"),
            DataDirectory = dir,
        };
        configure?.Invoke(options);
        var app = await EdgeHost.BuildAsync(options, timeProvider, configureServices: services);
        await app.StartAsync();
        return new EdgeUnderTest(app, options);
    }

    public async Task AddUserAsync(string name, string password, string? email = null)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EdgeUserStore>().AddAsync(name, password, email, displayName: null);
    }

    public async Task AddClientAsync(EdgeClientRegistration registration)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EdgeClientStore>().AddAsync(registration);
    }

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see each hop.</summary>
    public HttpClient NewBrowser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
        {
            BaseAddress = Issuer,
        };

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(HttpClient http, string path, IEnumerable<KeyValuePair<string, string>> form)
    {
        using var response = await http.PostAsync(new Uri(Issuer, path), new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Options.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp directory is cleaned by the OS.
        }
    }
}
