using AgentFabric.Cli.Server;
using AgentFabric.Server.Api.V1;

namespace AgentFabric.Cli.Tests.Server;

/// <summary><c>entry create -data</c>: SPIRE's JSON shape, BatchCreateEntry, created entries on standard output,
/// refused ones on standard error with their code and reason, exit 1 when any was refused.</summary>
public sealed class EntryDataTests(CliServerFixture server) : IClassFixture<CliServerFixture>
{
    private string Write(string json)
    {
        var path = Path.Combine(server.Dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    private Task<(int Exit, string Out, string Err)> CreateAsync(string path, params string[] more) =>
        CliRun.InvokeAsync(["entry", "create", "-data", path, .. more, "-socketPath", server.SocketPath]);

    [Fact]
    public async Task MalformedEntryInTheMiddle_IsListedWithItsReason_TheOthersAreCreated_ExitOne()
    {
        var path = Write("""
            {"entries": [
              {"spiffe_id": "spiffe://agentvault.com/data/a", "parent_id": "spiffe://agentvault.com/node", "entry_id": "data-a",
               "selectors": [{"type": "unix", "value": "uid:1"}], "x509_svid_ttl": 600, "dns_names": ["a.local"]},
              {"spiffe_id": "spiffe://agentvault.com/data/b", "parent_id": "spiffe://agentvault.com/node", "entry_id": "data-b",
               "selectors": [{"type": "dockr", "value": "label:x"}]},
              {"SPIFFE_ID": "spiffe://agentvault.com/data/c", "parent_id": "spiffe://agentvault.com/node", "entry_id": "data-c",
               "selectors": [{"type": "unix", "value": "uid:3"}], "ttl": 60, "revision_number": 7}
            ]}
            """);
        var (exit, output, error) = await CreateAsync(path);
        Assert.Equal(1, exit);
        Assert.Equal(
            """
            ╭───────────────┬────────────────────────────────╮
            │ Field         │ Value                          │
            ├───────────────┼────────────────────────────────┤
            │ Entry ID      │ data-a                         │
            │ SPIFFE ID     │ spiffe://agentvault.com/data/a │
            │ Parent ID     │ spiffe://agentvault.com/node   │
            │ Revision      │ 1                              │
            │ X509-SVID TTL │ 600                            │
            │ JWT-SVID TTL  │ default                        │
            │ Selector      │ unix:uid:1                     │
            │ DNS name      │ a.local                        │
            ╰───────────────┴────────────────────────────────╯
            ╭───────────────┬────────────────────────────────╮
            │ Field         │ Value                          │
            ├───────────────┼────────────────────────────────┤
            │ Entry ID      │ data-c                         │
            │ SPIFFE ID     │ spiffe://agentvault.com/data/c │
            │ Parent ID     │ spiffe://agentvault.com/node   │
            │ Revision      │ 2                              │
            │ X509-SVID TTL │ 60                             │
            │ JWT-SVID TTL  │ default                        │
            │ Selector      │ unix:uid:3                     │
            ╰───────────────┴────────────────────────────────╯

            """,
            output);
        Assert.Equal(
            """
            Failed to create the following entry (code: InvalidArgument, msg: "registration: unknown selector type \"dockr\" (known: aws_iid, azure_imds, azure_msi, docker, gcp_iit, http_challenge, join_token, k8s, k8s_psat, k8s_sat, spiffe_id, sshpop, systemd, tpm, unix, windows, x509pop)"):
            ╭───────────────┬────────────────────────────────╮
            │ Field         │ Value                          │
            ├───────────────┼────────────────────────────────┤
            │ Entry ID      │ data-b                         │
            │ SPIFFE ID     │ spiffe://agentvault.com/data/b │
            │ Parent ID     │ spiffe://agentvault.com/node   │
            │ Revision      │ 0                              │
            │ X509-SVID TTL │ default                        │
            │ JWT-SVID TTL  │ default                        │
            │ Selector      │ dockr:label:x                  │
            ╰───────────────┴────────────────────────────────╯
            Error: failed to create one or more entries

            """,
            error);
    }

    [Fact]
    public async Task DuplicateEntries_TheSecondIsAlreadyExists()
    {
        const string Entry = """{"spiffe_id": "spiffe://agentvault.com/data/dup", "parent_id": "spiffe://agentvault.com/node", "selectors": [{"type": "unix", "value": "uid:9"}]}""";
        var (exit, output, error) = await CreateAsync(Write($$"""{"entries": [{{Entry}}, {{Entry}}]}"""), "-output", "json");
        Assert.Equal(1, exit);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToArray();
        var first = results[0].GetProperty("entry").GetProperty("id").GetString();
        Assert.Equal(
            [(0, "OK"), (6, $"registration: similar entry already exists (entry ID \"{first}\" has the same SPIFFE ID, parent ID and selectors)")],
            results.Select(r => (r.GetProperty("status").GetProperty("code").GetInt32(), r.GetProperty("status").GetProperty("message").GetString())));
        Assert.Equal("Error: failed to create one or more entries\n", error);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "{", "not JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 0 | BytePositionInLine: 1." },
        { "[]", "expected an object {\"entries\": [...]}" },
        { "{\"entries\": {}}", "\"entries\" must be an array" },
        { "{\"entries\": []}", "\"entries\" is empty; nothing to create" },
        { "{\"entries\": [1]}", "entries[0]: expected an object" },
        { "{\"entries\": [{\"spiffeId\": \"spiffe://agentvault.com/x\"}]}", "entries[0].spiffeId: unknown field (a registration entry has spiffe_id, parent_id, selectors, x509_svid_ttl, jwt_svid_ttl, federates_with, dns_names, entry_id, admin, downstream, entryExpiry, hint)" },
        { "{\"entries\": [{\"x509_svid_ttl\": \"60\"}]}", "entries[0].x509_svid_ttl: expected a 32-bit integer" },
        { "{\"entries\": [{\"admin\": 1}]}", "entries[0].admin: expected true or false" },
        { "{\"entries\": [{\"dns_names\": \"a.local\"}]}", "entries[0].dns_names: expected an array of strings" },
        { "{\"entries\": [{\"selectors\": [\"unix:uid:1\"]}]}", "entries[0].selectors[0]: expected an object {\"type\", \"value\"}" },
        { "{\"entries\": [{\"selectors\": [{\"type\": \"unix\", \"val\": \"uid:1\"}]}]}", "entries[0].selectors[0].val: unknown field (a selector has type and value)" },
        { "{\"entries\": [{\"ttl\": 60, \"x509_svid_ttl\": 60}]}", "entries[0]: use x509_svid_ttl and jwt_svid_ttl or the deprecated ttl, not both" },
        { "{\"entries\": [{\"store_svid\": true}]}", "entries[0].store_svid: storing SVIDs (SPIRE's SVIDStore plugins) is not supported" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task BadFile_IsOneClearErrorNamingTheEntryAndField(string json, string error)
    {
        var path = Write(json);
        Assert.Equal((1, "", $"Error: {path}: {error}\n"), await CreateAsync(path));
    }

    [Fact]
    public async Task DataWithEntryFlags_OrAMissingFile_IsRefused()
    {
        var path = Write("""{"entries": [{"spiffe_id": "spiffe://agentvault.com/x"}]}""");
        Assert.Equal((1, "", "Error: -data cannot be combined with -spiffeID, -admin\n"), await CreateAsync(path, "-spiffeID", "spiffe://agentvault.com/y", "-admin"));
        var missing = Path.Combine(server.Dir, "absent.json");
        Assert.Equal((1, "", $"Error: cannot read -data {missing}: Could not find file '{missing}'.\n"), await CreateAsync(missing));
    }

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(10_000, new[] { 10_000 })]
    [InlineData(25_001, new[] { 10_000, 10_000, 5_001 })]
    public void LargeFiles_AreSentInRequestsOfAtMost10000Entries(int count, int[] sizes)
    {
        var entries = Enumerable.Range(0, count).Select(i => new Entry { SpiffeId = "spiffe://agentvault.com/w/" + i }).ToArray();
        Assert.Equal(sizes, EntryBatchCreate.Requests(entries).Select(r => r.Entries.Count));
    }

    [Fact]
    public void LargeEntries_AreSentInRequestsUnderThreeMegabytes()
    {
        var entries = Enumerable.Range(0, 40).Select(i => new Entry { Hint = new string('h', 100_000) }).ToArray();
        var sizes = EntryBatchCreate.Requests(entries).Select(r => r.CalculateSize()).ToArray();
        Assert.Equal(2, sizes.Length);
        Assert.All(sizes, s => Assert.True(s < 3 * 1024 * 1024, s.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
