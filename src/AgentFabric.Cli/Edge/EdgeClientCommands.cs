using System.CommandLine;
using AgentFabric.Edge.Clients;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Cli.Edge;

/// <summary><c>agentfabric edge client add|list|remove</c>: OAuth clients. Without a secret a client is public and
/// uses the authorization code flow with PKCE; with one (from standard input or a file) it is confidential.</summary>
internal static class EdgeClientCommands
{
    public static Command Create(EdgeCommand.StoreFlags store)
    {
        var client = new Command("client", "Manage the OAuth clients of the edge");
        client.Subcommands.Add(Add(store));
        client.Subcommands.Add(List(store));
        client.Subcommands.Add(Remove(store));
        return client;
    }

    private static Command Add(EdgeCommand.StoreFlags store)
    {
        var id = new Argument<string>("client-id") { Description = "The client_id" };
        var stdin = new Option<bool>("--secret-stdin") { Description = "Confidential client: read the secret from the first line of standard input" };
        var file = new Option<string?>("--secret-file") { Description = "Confidential client: read the secret from the first line of this file" };
        var redirects = new Option<string[]>("--redirect-uri") { Description = "A redirect URI (repeatable)", AllowMultipleArgumentsPerToken = false };
        var grants = new Option<string[]>("--grant") { Description = "authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:token-exchange (repeatable; default: authorization_code and refresh_token)", AllowMultipleArgumentsPerToken = false };
        var scopes = new Option<string[]>("--scope") { Description = "A scope the client may ask for (repeatable; default: profile, email, offline_access)", AllowMultipleArgumentsPerToken = false };
        var name = new Option<string?>("--display-name") { Description = "A name for people" };
        var command = new Command("add", "Register a client") { id, stdin, file, redirects, grants, scopes, name };
        store.AddTo(command);
        command.SetAction(EdgeCommand.Errors, async (parse, console, ct) =>
        {
            var secret = parse.GetValue(stdin) || parse.GetValue(file) is not null
                ? SecretInput.Read("client secret", "--secret-stdin", "--secret-file", parse.GetValue(stdin), parse.GetValue(file), Console.In)
                : null;
            var registration = new EdgeClientRegistration
            {
                ClientId = parse.GetValue(id)!,
                ClientSecret = secret,
                DisplayName = parse.GetValue(name),
                RedirectUris = [.. (parse.GetValue(redirects) ?? []).Select(RedirectUri)],
                GrantTypes = parse.GetValue(grants) is { Length: > 0 } g ? g : ["authorization_code", "refresh_token"],
                Scopes = parse.GetValue(scopes) is { Length: > 0 } s ? s : ["profile", "email", "offline_access"],
            };
            await using var services = await EdgeCommand.OpenStoresAsync(store.Read(parse), ct).ConfigureAwait(false);
            await using var scope = services.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<EdgeClientStore>().AddAsync(registration, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw new CliException(Plain(e), e);
            }
            catch (OpenIddict.Abstractions.OpenIddictExceptions.ValidationException e)
            {
                // OpenIddict's own registration checks (RFC 6749 §2: client types and redirect URIs).
                throw new CliException(string.Join("; ", e.Results.Select(r => r.ErrorMessage)), e);
            }

            console.Out.WriteLine($"added {(secret is null ? "public" : "confidential")} client {registration.ClientId}");
            return 0;
        });
        return command;
    }

    private static Command List(EdgeCommand.StoreFlags store)
    {
        var command = new Command("list", "List the clients");
        store.AddTo(command);
        command.SetAction(EdgeCommand.Errors, async (parse, console, ct) =>
        {
            await using var services = await EdgeCommand.OpenStoresAsync(store.Read(parse), ct).ConfigureAwait(false);
            await using var scope = services.CreateAsyncScope();
            var clients = await scope.ServiceProvider.GetRequiredService<EdgeClientStore>().ListAsync(ct).ConfigureAwait(false);
            var table = CliTable.Create("Client", "Type", "Grants", "Redirect URIs", "Scopes");
            foreach (var c in clients)
            {
                table.AddTextRow(c.ClientId, c.ClientType, string.Join(' ', c.GrantTypes), string.Join(' ', c.RedirectUris), string.Join(' ', c.Scopes));
            }

            console.WriteTable(table);
            return 0;
        });
        return command;
    }

    private static Command Remove(EdgeCommand.StoreFlags store)
    {
        var id = new Argument<string>("client-id") { Description = "The client to remove" };
        var command = new Command("remove", "Remove a client") { id };
        store.AddTo(command);
        command.SetAction(EdgeCommand.Errors, async (parse, console, ct) =>
        {
            await using var services = await EdgeCommand.OpenStoresAsync(store.Read(parse), ct).ConfigureAwait(false);
            await using var scope = services.CreateAsyncScope();
            var clientId = parse.GetValue(id)!;
            if (!await scope.ServiceProvider.GetRequiredService<EdgeClientStore>().RemoveAsync(clientId, ct).ConfigureAwait(false))
            {
                throw new CliException($"no client \"{clientId}\"");
            }

            console.Out.WriteLine($"removed client {clientId}");
            return 0;
        });
        return command;
    }

    // RFC 6749 §3.1.2: a redirect URI is absolute and has no fragment.
    private static Uri RedirectUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && !uri.IsFile && !uri.IsUnc && string.IsNullOrEmpty(uri.Fragment)
            ? uri
            : throw new CliException($"--redirect-uri \"{text}\" is not an absolute URI without a fragment");

    private static string Plain(Exception e) =>
        e.Message.Split(" (Parameter", StringSplitOptions.None)[0].Replace("edge: ", "", StringComparison.Ordinal);
}
