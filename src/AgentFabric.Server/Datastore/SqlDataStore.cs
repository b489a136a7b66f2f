using System.Data;
using System.Data.Common;
using AgentFabric.Server.Config;

namespace AgentFabric.Server.Datastore;

/// <summary>
/// The datastore on SQLite (default: one file in the data dir, WAL) or PostgreSQL (connection string). One schema,
/// migrated at open; each public method runs in one transaction.
/// </summary>
public sealed partial class SqlDataStore : IDataStore
{
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _time;

    private SqlDataStore(SqlDialect dialect, TimeProvider time)
    {
        _dialect = dialect;
        _time = time;
    }

    public string Kind => _dialect.Name;

    public static async Task<SqlDataStore> OpenAsync(
        DatastoreKind kind, string connectionString, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        SqlDialect dialect = kind == DatastoreKind.Postgres ? new PostgresDialect(connectionString) : new SqliteDialect(connectionString);
        var store = new SqlDataStore(dialect, time);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            await store.HashPlaintextJoinTokensAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            await dialect.DisposeAsync().ConfigureAwait(false);
            throw new DatastoreException(DatastoreError.Unavailable, dialect.DescribeOpenFailure(e), e);
        }

        return store;
    }

    /// <summary>The schema version now in the database.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) =>
        await InTransactionAsync(async (c, t) =>
            Convert.ToInt32(await ScalarAsync(c, t, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture),
            cancellationToken).ConfigureAwait(false);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)";
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var version = 1; version <= SchemaMigrations.Steps.Count; version++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, _dialect.MigrationLockSql, cancellationToken).ConfigureAwait(false);
            var applied = await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM schema_migrations WHERE version = @v", cancellationToken, ("v", version)).ConfigureAwait(false);
            if (Convert.ToInt64(applied, System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                await ExecuteAsync(connection, transaction, SchemaMigrations.Steps[version - 1], cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @t)", cancellationToken,
                    ("v", version), ("t", _time.GetUtcNow().ToUnixTimeSeconds())).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<T> InTransactionAsync<T>(
        Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    private static async Task<List<T>> QueryAsync<T>(
        DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }

        return list;
    }

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();
}
