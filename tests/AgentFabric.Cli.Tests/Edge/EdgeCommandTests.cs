namespace AgentFabric.Cli.Tests.Edge;

/// <summary><c>agentfabric edge user|client|keys</c> in-process against a fresh data directory (SQLite), and the
/// refusals each prints on standard error.</summary>
public sealed class EdgeCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "af-cli-edge-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task UserAdd_List_Remove()
    {
        var password = Write("pw.txt", "correct horse battery\n");
        var (exit, stdout, stderr) = await Edge("user", "add", "alice", "--password-file", password, "--email", "alice@example.org");
        Assert.Equal((0, ""), (exit, stderr));
        Assert.StartsWith("added user alice (sub ", stdout, StringComparison.Ordinal);

        (exit, stdout, _) = await Edge("user", "list");
        Assert.Equal(0, exit);
        Assert.Contains("alice@example.org", stdout, StringComparison.Ordinal);

        Assert.Equal((0, "removed user alice\n", ""), await Edge("user", "remove", "alice"));
        Assert.Equal((1, "", "error: no user \"alice\"\n"), await Edge("user", "remove", "alice"));
    }

    [Fact]
    public async Task ClientAdd_PublicAndConfidential_List_Remove()
    {
        Assert.Equal((0, "added public client web\n", ""), await Edge("client", "add", "web", "--redirect-uri", "http://127.0.0.1:5000/cb"));
        var secret = Write("secret.txt", "s3cret-s3cret");
        Assert.Equal((0, "added confidential client svc\n", ""), await Edge("client", "add", "svc", "--secret-file", secret, "--grant", "client_credentials", "--scope", "api"));
        var (exit, stdout, _) = await Edge("client", "list");
        Assert.Equal(0, exit);
        Assert.Contains("│ svc ", stdout, StringComparison.Ordinal);
        Assert.Contains("│ web ", stdout, StringComparison.Ordinal);
        Assert.Contains("confide", stdout, StringComparison.Ordinal);
        Assert.Equal((0, "removed client svc\n", ""), await Edge("client", "remove", "svc"));
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["user", "add", "bob"], "error: give the password with exactly one of --password-stdin or --password-file\n" },
        { ["user", "add", "bob", "--password-file", "/nonexistent/pw"], "error: --password-file /nonexistent/pw: Could not find a part of the path '/nonexistent/pw'.\n" },
        { ["client", "add", "web"], "error: the authorization code flow needs at least one redirect URI\n" },
        { ["client", "add", "web", "--redirect-uri", "/relative"], "error: --redirect-uri \"/relative\" is not an absolute URI without a fragment\n" },
        { ["client", "add", "web", "--grant", "client_credentials"], "error: client_credentials needs a client secret\n" },
        { ["client", "add", "web", "--grant", "password", "--redirect-uri", "http://x/cb"], "error: unknown grant type \"password\"\n" },
        { ["client", "remove", "nobody"], "error: no client \"nobody\"\n" },
        { ["keys", "rotate", "--publish-lead", "-00:01:00"], "error: --publish-lead must be positive, not -00:01:00\n" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_IsOneClearLine(string[] args, string error)
    {
        var (exit, stdout, stderr) = await Edge(args);
        Assert.Equal((1, "", error), (exit, stdout, stderr));
    }

    [Fact]
    public async Task ClientAdd_Twice_IsRefused()
    {
        Assert.Equal(0, (await Edge("client", "add", "web", "--redirect-uri", "http://x/cb")).Exit);
        Assert.Equal((1, "", "error: client \"web\" already exists\n"), await Edge("client", "add", "web", "--redirect-uri", "http://x/cb"));
    }

    [Fact]
    public async Task KeysRotate_AddsAKeyToTheRing()
    {
        var (exit, stdout, stderr) = await Edge("keys", "rotate");
        Assert.Equal((0, ""), (exit, stderr));
        Assert.StartsWith("new signing key ", stdout, StringComparison.Ordinal);
        // The ring's first key (made on open) and the new one.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_dir, "signing-keys"), "*.json").Length);
    }

    [Theory]
    [InlineData(new[] { "--route", "nocaller" }, "error: --route \"nocaller\": want caller=target\n")]
    [InlineData(new[] { "--issuer", "not a url" }, "error: --issuer \"not a url\" is not an absolute URL\n")]
    [InlineData(new[] { "--spiffe-client", "https://x" }, "error: edge: bad SPIFFE client pattern \"https://x\"")]
    public async Task RunWithBadSettings_FailsBeforeListening(string[] flags, string error)
    {
        var (exit, stdout, stderr) = await Edge(["run", .. flags]);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith(error.TrimEnd('\n'), stderr, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Out, string Err)> Edge(params string[] args) =>
        CliRun.InvokeAsync(["edge", .. args, "--data-dir", _dir]);

    private string Write(string name, string content)
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
