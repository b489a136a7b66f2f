using Microsoft.Data.Sqlite;

namespace AgentFabric.Cli.Tests.Server;

/// <summary><c>server run</c> that cannot start ends with one <c>Error:</c> line and exit code 1, never a stack
/// trace, and leaves the state on disk as it was.</summary>
public sealed class ServerRunStartupTests : IDisposable
{
    private readonly string _dir = Path.Combine("/tmp", "afr-" + Guid.NewGuid().ToString("N")[..10]);

    public ServerRunStartupTests() => Directory.CreateDirectory(Path.Combine(_dir, "data"));

    private string Database => Path.Combine(_dir, "data", "datastore.sqlite3");

    public static TheoryData<string, string> CorruptDatabases => new()
    {
        { "garbage", "SQLite Error 26: 'file is not a database'." },
        { "truncated", "SQLite Error 11: 'database disk image is malformed'." },
    };

    [Theory]
    [MemberData(nameof(CorruptDatabases))]
    public async Task CorruptDatabase_OneErrorLine_Exit1_FileUntouched(string kind, string sqliteMessage)
    {
        var bytes = kind == "garbage" ? Enumerable.Range(0, 8192).Select(i => (byte)(i * 37 % 251)).ToArray() : TruncatedDatabase();
        File.WriteAllBytes(Database, bytes);

        var (exit, output, error) = await CliRun.InvokeAsync("server", "run", "-config", Config()).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"Error: datastore: \"{Database}\" is not a readable SQLite database: {sqliteMessage}\n", error);
        Assert.Equal(bytes, File.ReadAllBytes(Database));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A real database cut inside its first page: the header survives, the rest does not.
    private byte[] TruncatedDatabase()
    {
        var source = Path.Combine(_dir, "source.sqlite3");
        using (var connection = new SqliteConnection($"Data Source={source};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('a');";
            command.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(source);
        File.Delete(source);
        return bytes[..50];
    }

    private string Config()
    {
        var path = Path.Combine(_dir, "server.json");
        File.WriteAllText(path, $$"""
            {
              "server": {
                "trust_domain": "agentvault.com",
                "bind_address": "127.0.0.1",
                "bind_port": {{CliServerFixture.FreePort()}},
                "socket_path": "{{Path.Combine(_dir, "sock", "api.sock")}}",
                "data_dir": "{{Path.Combine(_dir, "data")}}",
                "health_checks": { "listener_enabled": false }
              }
            }
            """);
        return path;
    }
}
