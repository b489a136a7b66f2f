using Microsoft.Data.Sqlite;

namespace AgentFabric.Server.Datastore;

/// <summary>
/// Keeps the SQLite database private to the server's user: a directory it creates is 0700, the database file is
/// created 0600 before SQLite opens it (SQLite gives the -wal and -shm files the database file's mode), and an existing
/// database, WAL or SHM file is set back to 0600. Explicit modes, so the process umask does not matter.
/// </summary>
internal static class SqliteFileModes
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Prepares the files of <paramref name="builder"/>'s data source; nothing for an in-memory database.</summary>
    /// <exception cref="DatastoreException">The directory or file cannot be created or its mode set.</exception>
    public static void Prepare(SqliteConnectionStringBuilder builder)
    {
        if (!IsFile(builder))
        {
            return;
        }

        string path = Path.GetFullPath(builder.DataSource);
        try
        {
            CreatePrivateDirectory(Path.GetDirectoryName(path));
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            if (!File.Exists(path) && builder.Mode != SqliteOpenMode.ReadOnly)
            {
                using var created = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = Private,
                });
            }

            foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            {
                if (File.Exists(file) && File.GetUnixFileMode(file) != Private)
                {
                    File.SetUnixFileMode(file, Private);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatastoreException(DatastoreError.Unavailable, $"datastore: cannot prepare the database file \"{path}\": {e.Message}", e);
        }
    }

    /// <summary>Whether the data source is a plain file path (not in-memory, not a URI).</summary>
    public static bool IsFile(SqliteConnectionStringBuilder builder) =>
        builder.Mode != SqliteOpenMode.Memory && builder.DataSource is not ("" or ":memory:") &&
        !builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates <paramref name="directory"/> (and missing parents) 0700; an existing one is left as it is.</summary>
    public static void CreatePrivateDirectory(string? directory)
    {
        if (string.IsNullOrEmpty(directory) || Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            // Directory.CreateDirectory(path, mode) gives the mode to the last directory only: parents first.
            CreatePrivateDirectory(Path.GetDirectoryName(directory));
            Directory.CreateDirectory(directory, PrivateDirectory);
        }
    }
}
