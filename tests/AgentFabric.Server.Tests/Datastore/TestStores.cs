using AgentFabric.Server.Config;
using AgentFabric.Server.Datastore;
using Npgsql;

namespace AgentFabric.Server.Tests.Datastore;

/// <summary>A real, empty datastore of the given kind: a SQLite file in a temp dir, or a fresh database in the
/// PostgreSQL cluster test.sh started.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly TempDirectory? _dir;
    private readonly string? _pgDatabase;

    private TestStore(SqlDataStore store, string connectionString, DatastoreKind kind, TempDirectory? dir, string? pgDatabase)
    {
        Store = store;
        ConnectionString = connectionString;
        Kind = kind;
        _dir = dir;
        _pgDatabase = pgDatabase;
    }

    public SqlDataStore Store { get; }

    public string ConnectionString { get; }

    public DatastoreKind Kind { get; }

    public static async Task<TestStore> OpenAsync(string kind, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        if (kind == "sqlite")
        {
            var dir = new TempDirectory();
            var path = dir.Combine("datastore.sqlite3");
            return new TestStore(await SqlDataStore.OpenAsync(DatastoreKind.Sqlite, path, time), path, DatastoreKind.Sqlite, dir, null);
        }

        var admin = Environment.GetEnvironmentVariable(PostgresDataAttribute.Variable)!;
        var name = "afs_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
        return new TestStore(await SqlDataStore.OpenAsync(DatastoreKind.Postgres, cs, time), cs, DatastoreKind.Postgres, null, name);
    }

    /// <summary>Opens a second store on the same database (a restart, or a second server).</summary>
    public Task<SqlDataStore> ReopenAsync(TimeProvider? time = null) =>
        SqlDataStore.OpenAsync(Kind, ConnectionString, time ?? TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _dir?.Dispose();
        if (_pgDatabase is not null)
        {
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresDataAttribute.Variable));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
