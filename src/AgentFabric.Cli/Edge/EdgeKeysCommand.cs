using System.CommandLine;
using System.Globalization;
using AgentFabric.Edge.Keys;

namespace AgentFabric.Cli.Edge;

/// <summary><c>agentfabric edge keys rotate</c>: adds a signing key to the data directory's ring, published now and
/// signing after the publish lead; a running edge picks it up within seconds.</summary>
internal static class EdgeKeysCommand
{
    public static Command Create(EdgeCommand.StoreFlags store)
    {
        var lead = new Option<TimeSpan?>("--publish-lead") { Description = "How long the key is published before it signs (default 1 hour)" };
        var rotate = new Command("rotate", "Add a new signing key (published now, signing after the publish lead)") { lead };
        rotate.Options.Add(store.DataDir);
        rotate.SetAction(EdgeCommand.Errors, (parse, console) =>
        {
            var options = store.Read(parse);
            options.SigningKeyRotationPeriod = null;
            if (parse.GetValue(lead) is { } l)
            {
                if (l <= TimeSpan.Zero)
                {
                    throw new CliException($"--publish-lead must be positive, not {l}");
                }

                options.SigningKeyPublishLead = l;
            }

            var key = EdgeSigningKeyRing.Open(options, TimeProvider.System).Rotate();
            console.Out.WriteLine($"new signing key {key.KeyId}: published {Format(key.Published)}, signs from {Format(key.SignsFrom)}");
            return 0;
        });
        return new Command("keys", "Manage the edge's signing keys") { rotate };
    }

    private static string Format(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
