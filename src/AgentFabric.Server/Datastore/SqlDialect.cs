using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentFabric.Server.Datastore;

/// <summary>What differs between SQLite and PostgreSQL: opening a connection, starting a writing transaction and
/// recognising a unique-constraint violation. The schema and statements are shared.</summary>
internal abstract class SqlDialect
{
    public abstract string Name { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Serializes schema migrations between servers starting together.</summary>
    public abstract string MigrationLockSql { get; }

    /// <summary>The one line that says why the database could not be opened.</summary>
    public virtual string DescribeOpenFailure(DbException exception) => $"datastore: cannot open {Name} database: {exception?.Message}";

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed class SqliteDialect : SqlDialect
{
    private readonly string _connectionString;

    public SqliteDialect(string pathOrConnectionString)
    {
        var builder = Builder(pathOrConnectionString);
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        SqliteFileModes.Prepare(builder);
        _connectionString = builder.ToString();
    }

    public override string Name => "sqlite3";

    /// <summary>The full path of the database file, or null for an in-memory or URI data source.</summary>
    public static string? FilePath(string pathOrConnectionString)
    {
        var builder = Builder(pathOrConnectionString);
        return SqliteFileModes.IsFile(builder) ? Path.GetFullPath(builder.DataSource) : null;
    }

    private static SqliteConnectionStringBuilder Builder(string pathOrConnectionString) =>
        pathOrConnectionString.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(pathOrConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = pathOrConnectionString };

    public override string MigrationLockSql => "SELECT 1";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragma = connection.CreateCommand();

        // WAL lets readers run beside the single writer; busy_timeout makes concurrent writers wait, not fail.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>Closes the pooled connections, so the file is released (and its WAL checkpointed) when the store is
    /// disposed, not when the process ends.</summary>
    public override ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26): garbage or a truncated file. Named with its path, so the operator
    // knows which file to restore; SQLite refuses before writing anything, so the file is left as it was.
    public override string DescribeOpenFailure(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 11 or 26 } && FilePath(_connectionString) is { } path
            ? $"datastore: \"{path}\" is not a readable SQLite database: {exception.Message}"
            : base.DescribeOpenFailure(exception);

    // SQLITE_CONSTRAINT (19) with a UNIQUE or PRIMARY KEY extended code.
    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
}

internal sealed class PostgresDialect : SqlDialect
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connectionString) => _dataSource = NpgsqlDataSource.Create(connectionString);

    public override string Name => "postgres";

    public override string MigrationLockSql => "SELECT pg_advisory_xact_lock(7431001)";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
