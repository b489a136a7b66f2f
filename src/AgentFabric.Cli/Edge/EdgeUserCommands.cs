using System.CommandLine;
using AgentFabric.Edge.Users;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Cli.Edge;

/// <summary><c>agentfabric edge user add|list|remove</c>: the people who sign in at the edge's login page.</summary>
internal static class EdgeUserCommands
{
    public static Command Create(EdgeCommand.StoreFlags store)
    {
        var user = new Command("user", "Manage the people who sign in at the edge");
        user.Subcommands.Add(Add(store));
        user.Subcommands.Add(List(store));
        user.Subcommands.Add(Remove(store));
        return user;
    }

    private static Command Add(EdgeCommand.StoreFlags store)
    {
        var name = new Argument<string>("name") { Description = "The user name they sign in with" };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" };
        var file = new Option<string?>("--password-file") { Description = "Read the password from the first line of this file" };
        var email = new Option<string?>("--email") { Description = "The email address (the email claim)" };
        var display = new Option<string?>("--display-name") { Description = "The full name (the name claim)" };
        var command = new Command("add", "Add a user") { name, stdin, file, email, display };
        store.AddTo(command);
        command.SetAction(EdgeCommand.Errors, async (parse, console, ct) =>
        {
            var userName = parse.GetValue(name)!;
            if (string.IsNullOrWhiteSpace(userName))
            {
                throw new CliException("the user name is empty");
            }

            var password = SecretInput.Read("password", "--password-stdin", "--password-file", parse.GetValue(stdin), parse.GetValue(file), Console.In);
            await using var services = await EdgeCommand.OpenStoresAsync(store.Read(parse), ct).ConfigureAwait(false);
            await using var scope = services.CreateAsyncScope();
            try
            {
                var added = await scope.ServiceProvider.GetRequiredService<EdgeUserStore>()
                    .AddAsync(userName, password, parse.GetValue(email), parse.GetValue(display), ct).ConfigureAwait(false);
                console.Out.WriteLine($"added user {added.UserName} (sub {added.Id})");
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message.Replace("edge: ", "", StringComparison.Ordinal), e);
            }

            return 0;
        });
        return command;
    }

    private static Command List(EdgeCommand.StoreFlags store)
    {
        var command = new Command("list", "List the users");
        store.AddTo(command);
        command.SetAction(EdgeCommand.Errors, async (parse, console, ct) =>
        {
            await using var services = await EdgeCommand.OpenStoresAsync(store.Read(parse), ct).ConfigureAwait(false);
            await using var scope = services.CreateAsyncScope();
            var users = await scope.ServiceProvider.GetRequiredService<EdgeUserStore>().ListAsync(ct).ConfigureAwait(false);
            var table = CliTable.Create("User", "Subject", "Email", "Name", "Locked until");
            foreach (var u in users)
            {
                table.AddTextRow(u.UserName, u.Id, u.Email ?? "", u.DisplayName ?? "", u.LockedUntil?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "");
            }

            console.WriteTable(table);
            return 0;
        });
        return command;
    }

    private static Command Remove(EdgeCommand.StoreFlags store)
    {
        var name = new Argument<string>("name") { Description = "The user to remove" };
        var command = new Command("remove", "Remove a user") { name };
        store.AddTo(command);
        command.SetAction(EdgeCommand.Errors, async (parse, console, ct) =>
        {
            await using var services = await EdgeCommand.OpenStoresAsync(store.Read(parse), ct).ConfigureAwait(false);
            await using var scope = services.CreateAsyncScope();
            var userName = parse.GetValue(name)!;
            if (!await scope.ServiceProvider.GetRequiredService<EdgeUserStore>().RemoveAsync(userName, ct).ConfigureAwait(false))
            {
                throw new CliException($"no user \"{userName}\"");
            }

            console.Out.WriteLine($"removed user {userName}");
            return 0;
        });
        return command;
    }
}
