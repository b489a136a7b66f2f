using System.Text.Json;

namespace AgentFabric.Cli.Tests.Server;

/// <summary><c>entry ...</c> run in-process against a real server: the table and JSON it prints, and its failures
/// as spire-server words them, all through the writers the test passes.</summary>
public sealed class EntryCommandsTests(CliServerFixture server) : IClassFixture<CliServerFixture>
{
    private Task<(int Exit, string Out, string Err)> AdminAsync(params string[] args) =>
        CliRun.InvokeAsync([.. args, "-socketPath", server.SocketPath]);

    [Fact]
    public async Task Show_PrintsTheEntryAsATableOrAsJson()
    {
        var created = await AdminAsync("entry", "create", "-entryID", "in-process-1", "-parentID", "spiffe://agentvault.com/node",
            "-spiffeID", "spiffe://agentvault.com/in-process", "-selector", "unix:uid:[1000]", "-x509SVIDTTL", "600");
        Assert.True(created.Exit == 0, created.Err);

        var table = await AdminAsync("entry", "show", "-entryID", "in-process-1");
        Assert.Equal((0, ""), (table.Exit, table.Err));
        Assert.Equal(
            """
            Found 1 entry
            ╭───────────────┬────────────────────────────────────╮
            │ Field         │ Value                              │
            ├───────────────┼────────────────────────────────────┤
            │ Entry ID      │ in-process-1                       │
            │ SPIFFE ID     │ spiffe://agentvault.com/in-process │
            │ Parent ID     │ spiffe://agentvault.com/node       │
            │ Revision      │ 1                                  │
            │ X509-SVID TTL │ 600                                │
            │ JWT-SVID TTL  │ default                            │
            │ Selector      │ unix:uid:[1000]                    │
            ╰───────────────┴────────────────────────────────────╯

            """,
            table.Out);

        var json = await AdminAsync("entry", "show", "-entryID", "in-process-1", "-output", "json");
        Assert.Equal((0, ""), (json.Exit, json.Err));
        using var doc = JsonDocument.Parse(json.Out);
        var entry = Assert.Single(doc.RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal(("in-process-1", 600, 0), (entry.GetProperty("id").GetString(), entry.GetProperty("x509SvidTtl").GetInt32(), entry.GetProperty("jwtSvidTtl").GetInt32()));
    }

    [Theory]
    [InlineData("Error: -output \"yaml\" is not one of pretty, json\n", "entry", "show", "-output", "yaml")]
    [InlineData("Error: -spiffeID is required\n", "entry", "create", "-parentID", "spiffe://agentvault.com/node")]
    [InlineData("Error: -node and -parentID cannot be used together\n", "entry", "create", "-spiffeID", "spiffe://agentvault.com/a", "-node", "-parentID", "spiffe://agentvault.com/node")]
    [InlineData("Error: -entryID is required\n", "entry", "update", "-spiffeID", "spiffe://agentvault.com/a", "-parentID", "spiffe://agentvault.com/node")]
    [InlineData("Error: registration: no registration entry with ID \"absent\"\n", "entry", "show", "-entryID", "absent")]
    [InlineData("Error: use x509SVIDTTL and jwtSVIDTTL flags or the deprecated ttl flag\n", "entry", "create", "-spiffeID", "spiffe://agentvault.com/a", "-parentID", "spiffe://agentvault.com/node", "-ttl", "10", "-x509SVIDTTL", "20")]
    [InlineData("Error: use x509SVIDTTL and jwtSVIDTTL flags or the deprecated ttl flag\n", "entry", "create", "-spiffeID", "spiffe://agentvault.com/a", "-parentID", "spiffe://agentvault.com/node", "-jwtSVIDTTL", "20", "-ttl", "10")]
    [InlineData("Error: use x509SVIDTTL and jwtSVIDTTL flags or the deprecated ttl flag\n", "entry", "update", "-entryID", "e", "-spiffeID", "spiffe://agentvault.com/a", "-parentID", "spiffe://agentvault.com/node", "-ttl", "10", "-jwtSVIDTTL", "20")]
    [InlineData("Error: a positive TTL is required\n", "entry", "create", "-spiffeID", "spiffe://agentvault.com/a", "-parentID", "spiffe://agentvault.com/node", "-ttl", "-1")]
    [InlineData("Error: a positive x509-SVID TTL is required\n", "entry", "create", "-spiffeID", "spiffe://agentvault.com/a", "-parentID", "spiffe://agentvault.com/node", "-x509SVIDTTL", "-5")]
    [InlineData("Error: a positive JWT-SVID TTL is required\n", "entry", "create", "-spiffeID", "spiffe://agentvault.com/a", "-parentID", "spiffe://agentvault.com/node", "-jwtSVIDTTL", "-5")]
    public async Task Failures_AreOneLineOnStandardErrorWithExitOne(string error, params string[] args)
    {
        Assert.Equal((1, "", error), await AdminAsync(args));
    }

    [Fact]
    public async Task UnreachableServer_SaysSo()
    {
        var result = await CliRun.InvokeAsync("entry", "count", "-socketPath", Path.Combine(server.Dir, "absent.sock"));

        Assert.Equal((1, "", $"Error: cannot reach the server's Admin API: no socket at {Path.Combine(server.Dir, "absent.sock")}\n"), result);
    }

    [Fact]
    public async Task SocketFileWithNobodyListening_SaysSo()
    {
        var path = Path.Combine(server.Dir, "stale.sock");
        // Bound but not listening (.NET removes the file when the socket is disposed, so it stays open meanwhile).
        using var stale = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        stale.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));

        var result = await CliRun.InvokeAsync("entry", "count", "-socketPath", path);

        Assert.Equal((1, "", $"Error: cannot reach the server's Admin API: nothing is listening on {path} (is the server running?)\n"), result);
    }
}
