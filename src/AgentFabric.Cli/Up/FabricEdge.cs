using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFabric.Cli.Edge;
using AgentFabric.Edge;
using AgentFabric.Edge.Clients;
using AgentFabric.Edge.Store;
using AgentFabric.Edge.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Cli.Up;

/// <summary>
/// The edge as <c>up</c> runs it for the sample (docs/sample contract): its settings file (<c>edge.json</c>: trust
/// bundles live from the node agent, the sample's agents as SPIFFE clients, the exchange routes frontend → researcher
/// and researcher → writer and no other), and what it must hold before it starts: the frontend's public OIDC client
/// and the demo user, created through the edge's own stores, idempotently (a second <c>up</c> changes nothing).
/// </summary>
internal static class FabricEdge
{
    /// <summary>The frontend's client at the edge (handed to it as <c>AGENTFABRIC_FRONTEND_CLIENT_ID</c>).</summary>
    public const string FrontendClientId = "research-frontend";

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    // The scopes the frontend asks for besides openid (which OpenIddict needs no permission for).
    private static readonly string[] s_frontendScopes = ["profile", "offline_access"];
    private static readonly string[] s_frontendGrants = ["authorization_code", "refresh_token"];

    /// <summary>The edge's own SPIFFE ID: its entry lets the node agent serve it the trust bundles.</summary>
    public static string SpiffeId(FabricLayout layout) => $"spiffe://{layout.TrustDomain}/agentfabric/edge";

    public static Uri Issuer(FabricLayout layout) => Local(layout.Port(FabricChildren.EdgePort));

    public static Uri FrontendUrl(FabricLayout layout) => Local(layout.Port("frontend"));

    /// <summary>Seed 004's agent IDs in the layout's trust domain.</summary>
    public static string Agent(FabricLayout layout, string idPath) => $"spiffe://{layout.TrustDomain}{idPath}";

    /// <summary><c>edge.json</c> (rewritten at every <c>up</c>, like the server's and the agent's files).</summary>
    public static string ConfigJson(FabricDirectory dir, FabricLayout layout)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(layout);
        var frontend = Agent(layout, FabricChildren.FrontendIdPath);
        var researcher = Agent(layout, FabricChildren.ResearcherIdPath);
        var writer = Agent(layout, FabricChildren.WriterIdPath);
        return new JsonObject
        {
            ["issuer"] = Issuer(layout).ToString(),
            ["data_dir"] = dir.EdgeData,
            ["workload_api"] = "unix://" + dir.WorkloadSocket,
            ["spiffe_clients"] = new JsonArray($"spiffe://{layout.TrustDomain}/ns/*"),
            // Seed 004's chain, one hop at a time; frontend → writer is not a route, so the edge refuses it.
            ["routes"] = new JsonArray(
                new JsonObject { ["caller"] = frontend, ["target"] = researcher },
                new JsonObject { ["caller"] = researcher, ["target"] = writer }),
            ["decision_log"] = Path.Combine(dir.EdgeData, "decisions.jsonl"),
        }.ToJsonString(s_indented) + "\n";
    }

    /// <summary>The frontend's public client and the demo user, as they must be: created when missing, replaced
    /// when they differ (another frontend port, a demo password file replaced by hand), kept otherwise. Returns a line
    /// for the progress display when it changed anything, else null.</summary>
    /// <exception cref="FabricStateException">The edge's store refuses the client or the user.</exception>
    public static async Task<string?> EnsureAccountsAsync(FabricDirectory dir, FabricLayout layout, DemoUser demo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(demo);
        var options = new EdgeOptions { Issuer = Issuer(layout), DataDirectory = dir.EdgeData };
        Directory.CreateDirectory(dir.EdgeData);
        await using var services = await EdgeCommand.OpenStoresAsync(options, cancellationToken).ConfigureAwait(false);
        await using var scope = services.CreateAsyncScope();
        var changes = new List<string>();
        try
        {
            if (await EnsureFrontendClientAsync(scope.ServiceProvider.GetRequiredService<EdgeClientStore>(), FrontendUrl(layout), cancellationToken).ConfigureAwait(false) is { } client)
            {
                changes.Add(client);
            }

            if (await EnsureDemoUserAsync(scope.ServiceProvider.GetRequiredService<EdgeUserStore>(), demo, cancellationToken).ConfigureAwait(false) is { } user)
            {
                changes.Add(user);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OpenIddict.Abstractions.OpenIddictExceptions.ValidationException)
        {
            throw new FabricStateException($"the edge's store in {dir.EdgeData} refused the sample's accounts: {e.Message}", e);
        }

        return changes.Count == 0 ? null : string.Join(", ", changes);
    }

    private static async Task<string?> EnsureFrontendClientAsync(EdgeClientStore clients, Uri frontend, CancellationToken cancellationToken)
    {
        var registration = new EdgeClientRegistration
        {
            ClientId = FrontendClientId,
            DisplayName = "Research agents (sample frontend)",
            RedirectUris = [new Uri(frontend, "signin-oidc")],
            PostLogoutRedirectUris = [new Uri(frontend, "signout-callback-oidc")],
            GrantTypes = s_frontendGrants,
            Scopes = s_frontendScopes,
        };
        var existing = (await clients.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.ClientId == FrontendClientId);
        if (existing is not null && Matches(existing, registration))
        {
            return null;
        }

        if (existing is not null)
        {
            await clients.RemoveAsync(FrontendClientId, cancellationToken).ConfigureAwait(false);
        }

        await clients.AddAsync(registration, cancellationToken).ConfigureAwait(false);
        return $"client {FrontendClientId} {(existing is null ? "registered" : "updated")}";
    }

    // The post-logout URI is not listed by the store; it follows the frontend's URL as the redirect URI does, so a
    // matching redirect URI means a matching post-logout URI (unless changed by hand, which `edge client` can undo).
    private static bool Matches(EdgeClient existing, EdgeClientRegistration wanted) =>
        existing.ClientType == "public"
        && existing.RedirectUris.Order(StringComparer.Ordinal).SequenceEqual(wanted.RedirectUris.Select(u => u.ToString()).Order(StringComparer.Ordinal), StringComparer.Ordinal)
        && existing.GrantTypes.Order(StringComparer.Ordinal).SequenceEqual(wanted.GrantTypes.Order(StringComparer.Ordinal), StringComparer.Ordinal)
        && existing.Scopes.Order(StringComparer.Ordinal).SequenceEqual(wanted.Scopes.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static async Task<string?> EnsureDemoUserAsync(EdgeUserStore users, DemoUser demo, CancellationToken cancellationToken)
    {
        var existing = await users.FindAsync(demo.UserName, cancellationToken).ConfigureAwait(false);
        if (existing is not null && new PasswordHasher<EdgeUser>().VerifyHashedPassword(existing, existing.PasswordHash, demo.Password) != PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (existing is not null)
        {
            await users.RemoveAsync(demo.UserName, cancellationToken).ConfigureAwait(false);
        }

        await users.AddAsync(demo.UserName, demo.Password, displayName: "Demo User", cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"user {demo.UserName} {(existing is null ? "added" : "given the password in demo-user.json")}";
    }

    private static Uri Local(int port) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
}
