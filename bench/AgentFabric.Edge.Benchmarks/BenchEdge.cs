using System.Security.Cryptography;
using System.Text.Json;
using AgentFabric.Edge.Clients;
using AgentFabric.Edge.Exchange;
using AgentFabric.Edge.Hosting;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Edge.Benchmarks;

/// <summary>
/// A real edge on 127.0.0.1 (SQLite in a temp directory, its default Rego exchange policy allowing
/// frontend → researcher) and one keep-alive HttpClient. Requests, all form posts to the same Kestrel: a token exchange
/// (JWT-SVID client assertion, actor token, the subject token a client-credentials grant issued), that client-credentials
/// grant itself, and a POST of the same form to an endpoint that does nothing (the HTTP floor).
/// </summary>
internal sealed class BenchEdge : IAsyncDisposable
{
    public const string Frontend = "spiffe://example.org/agents/frontend";
    public const string Researcher = "spiffe://example.org/agents/researcher";
    private const string BackendSecret = "backend-secret-0123456789";

    private readonly WebApplication _app;
    private readonly string _directory;
    private readonly ECDsa _trustDomainKey;
    private readonly JwtSigningKey _signer;
    private readonly (string Assertion, string Actor)[] _svids;
    private KeyValuePair<string, string>[] _nothingForm = [];
    private int _next = -1;

    private BenchEdge(WebApplication app, string directory, ECDsa trustDomainKey, JwtSigningKey signer, Uri issuer, int exchanges)
    {
        _app = app;
        _directory = directory;
        _trustDomainKey = trustDomainKey;
        _signer = signer;
        Issuer = issuer;
        Http = new HttpClient { BaseAddress = issuer };
        // Each exchange spends two JWT-SVIDs (the assertion's jti is single-use), minted before the run so that the
        // agent's signing is not timed as the edge's work; minted on the fly only if a run outlasts the pool.
        _svids = new (string, string)[exchanges];
        for (var i = 0; i < _svids.Length; i++)
        {
            _svids[i] = (Svid(), Svid());
        }
    }

    public Uri Issuer { get; }

    public HttpClient Http { get; }

    /// <summary>An access token of this edge (client credentials, 1 h) used as every exchange's subject token.</summary>
    public string SubjectToken { get; private set; } = "";

    /// <summary>Starts the edge, with JWT-SVIDs minted ahead for <paramref name="exchanges"/> exchanges.</summary>
    public static async Task<BenchEdge> StartAsync(int exchanges)
    {
        var directory = Path.Combine(Path.GetTempPath(), "af-edge-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = JwtSigningKey.Create(key, "bench-k1");
        var map = Path.Combine(directory, "bundles.json");
        await File.WriteAllBytesAsync(map, new SpiffeBundleSet(new SpiffeBundle(TrustDomain.Parse("example.org"), [], [signer.ToJwtAuthority()])).MarshalBundleMap());
        var issuer = new Uri($"http://127.0.0.1:{LoopbackPorts.Next()}/");
        var options = new EdgeOptions { Issuer = issuer, DataDirectory = Path.Combine(directory, "data"), TrustBundlePath = map };
        options.SpiffeClients.Add("spiffe://example.org/agents/*");
        options.ExchangeRoutes.Add(new ExchangeRoute(Frontend, Researcher));
        var app = await EdgeHost.BuildAsync(options);
        app.MapPost("/bench/nothing", () => Results.Ok());
        await app.StartAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EdgeClientStore>().AddAsync(new EdgeClientRegistration
            {
                ClientId = "backend",
                ClientSecret = BackendSecret,
                GrantTypes = ["client_credentials"],
                Scopes = ["reports"],
            });
        }

        var edge = new BenchEdge(app, directory, key, signer, issuer, exchanges);
        edge.SubjectToken = AccessToken(await edge.ClientCredentialsAsync());
        edge._nothingForm = edge.ExchangeForm(edge.Svid(), edge.Svid());
        return edge;
    }

    /// <summary>Frontend exchanges the subject token for researcher; the issued token's response body.</summary>
    public Task<string> ExchangeAsync() => PostAsync("connect/token", ExchangeForm());

    public Task<string> ClientCredentialsAsync() => PostAsync("connect/token",
        [new("grant_type", "client_credentials"), new("scope", "reports"), new("client_id", "backend"), new("client_secret", BackendSecret)]);

    /// <summary>A form of an exchange's size, to the endpoint that does nothing.</summary>
    public Task<string> NothingAsync() => PostAsync("bench/nothing", _nothingForm);

    /// <summary>The access token of a token response, or an exception naming the response.</summary>
    public static string AccessToken(string response)
    {
        using var document = JsonDocument.Parse(response);
        return document.RootElement.TryGetProperty("access_token", out var token)
            ? token.GetString()!
            : throw new InvalidOperationException("no access token: " + response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _trustDomainKey.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp directory is cleaned by the OS.
        }
    }

    private KeyValuePair<string, string>[] ExchangeForm()
    {
        var next = Interlocked.Increment(ref _next);
        var (assertion, actor) = next < _svids.Length ? _svids[next] : (Svid(), Svid());
        return ExchangeForm(assertion, actor);
    }

    private KeyValuePair<string, string>[] ExchangeForm(string assertion, string actor) =>
        [
            new("grant_type", TokenTypes.GrantType),
            new("client_assertion_type", TokenTypes.JwtSpiffeAssertion),
            new("client_assertion", assertion),
            new("subject_token", SubjectToken),
            new("subject_token_type", TokenTypes.AccessToken),
            new("actor_token", actor),
            new("actor_token_type", TokenTypes.Jwt),
            new("audience", Researcher),
        ];

    private string Svid()
    {
        var jti = new Dictionary<string, JsonElement> { ["jti"] = JsonSerializer.SerializeToElement(Guid.NewGuid().ToString("N")) };
        return JwtSvid.Mint(SpiffeId.Parse(Frontend), [Issuer.ToString()], DateTimeOffset.UtcNow.AddHours(1), _signer, TimeProvider.System, jti).Token;
    }

    private async Task<string> PostAsync(string path, KeyValuePair<string, string>[] form)
    {
        using var response = await Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{path}: HTTP {(int)response.StatusCode} {body}");
    }
}
