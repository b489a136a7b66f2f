using AgentFabric.Server.Config;
using AgentFabric.Server.Datastore;
using Microsoft.Data.Sqlite;

namespace AgentFabric.Server.Tests.Datastore;

/// <summary>Issue #13: the SQLite files are private to the server's user, and join tokens are stored hashed.</summary>
public class SecretStorageTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = Private | UnixFileMode.UserExecute;

    [Fact]
    public async Task NewDatabase_DirectoryIs0700_DatabaseWalAndShmAre0600()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "data", "nested", "datastore.sqlite3");
        await using (var store = await SqlDataStore.OpenAsync(DatastoreKind.Sqlite, path, TimeProvider.System))
        {
            await store.CreateJoinTokenAsync("token-1", 4102444800);
            Assert.Equal(
                [PrivateDirectory, PrivateDirectory, Private, Private, Private],
                [
                    File.GetUnixFileMode(Path.Combine(dir.Path, "data")),
                    File.GetUnixFileMode(Path.Combine(dir.Path, "data", "nested")),
                    File.GetUnixFileMode(path),
                    File.GetUnixFileMode(path + "-wal"),
                    File.GetUnixFileMode(path + "-shm"),
                ]);
        }
    }

    [Fact]
    public async Task ExistingWorldReadableDatabase_IsMadePrivateOnOpen()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "datastore.sqlite3");
        await using (var store = await SqlDataStore.OpenAsync(DatastoreKind.Sqlite, path, TimeProvider.System))
        {
            await store.CreateJoinTokenAsync("token-1", 4102444800);
        }

        var open = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(path, open);
        await using (var store = await SqlDataStore.OpenAsync(DatastoreKind.Sqlite, path, TimeProvider.System))
        {
            Assert.Equal(Private, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task JoinToken_IsStoredAsItsSha256_AndStillConsumable()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "datastore.sqlite3");
        await using var store = await SqlDataStore.OpenAsync(DatastoreKind.Sqlite, path, TimeProvider.System);
        await store.CreateJoinTokenAsync("abc", 4102444800);

        // SHA-256("abc") (FIPS 180-2 appendix B.1).
        Assert.Equal(["sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"], await StoredTokensAsync(path));
        Assert.Null(await store.ConsumeJoinTokenAsync("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        Assert.Equal(4102444800, await store.ConsumeJoinTokenAsync("abc"));
        Assert.Null(await store.ConsumeJoinTokenAsync("abc"));
    }

    [Fact]
    public async Task PlaintextTokensOfAnOlderVersion_AreHashedOnOpen()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "datastore.sqlite3");
        await using (var store = await SqlDataStore.OpenAsync(DatastoreKind.Sqlite, path, TimeProvider.System))
        {
        }

        await ExecuteAsync(path, "INSERT INTO join_tokens (token, expires_at) VALUES ('abc', 4102444800), ('second', 4102444801)");
        await using (var store = await SqlDataStore.OpenAsync(DatastoreKind.Sqlite, path, TimeProvider.System))
        {
            // SHA-256("abc") (FIPS 180-2 appendix B.1) and SHA-256("second").
            Assert.Equal(
                new[] { "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SqlDataStore.HashToken("second") }.Order(StringComparer.Ordinal),
                (await StoredTokensAsync(path)).Order(StringComparer.Ordinal));
            Assert.Equal(4102444801, await store.ConsumeJoinTokenAsync("second"));
            Assert.Equal(4102444800, await store.ConsumeJoinTokenAsync("abc"));
        }
    }

    private static async Task<List<string>> StoredTokensAsync(string path)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT token FROM join_tokens";
        await using var reader = await command.ExecuteReaderAsync();
        var tokens = new List<string>();
        while (await reader.ReadAsync())
        {
            tokens.Add(reader.GetString(0));
        }

        return tokens;
    }

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
