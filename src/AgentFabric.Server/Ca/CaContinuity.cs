using System.Globalization;
using AgentFabric.Server.Config;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.KeyManagement;

namespace AgentFabric.Server.Ca;

/// <summary>
/// The CA never changes silently. A server whose CA state (journal, keys directory, a CA key) vanished while its
/// datastore shows it has run before, or whose datastore vanished while its CA state is still there, would otherwise
/// mint a new root or forget its agents and entries without a word: every agent and federated peer would stop trusting
/// it. These checks refuse to start instead, before anything is written; <c>server run -forceNewCA</c>
/// (<see cref="ServerSettings.ForceNewCa"/>) skips them to start a new CA deliberately. Only the disk key manager
/// keeps a CA across restarts, so the memory key manager (a new CA on every start, by choice) is not checked.
/// </summary>
internal static class CaContinuity
{
    public const string JournalFileName = "ca-journal.json";

    private const string Refusal = "refusing to start with a new CA: restore it, or run \"server run -forceNewCA\" to start a new CA deliberately";

    public static string JournalPath(ServerSettings settings) => Path.Combine(settings.DataDir, JournalFileName);

    /// <summary>Before the datastore is opened (opening creates the file): a SQLite file that is missing or empty
    /// next to an existing CA journal or CA keys.</summary>
    /// <exception cref="CaException">The datastore file is gone but the CA state shows the server has run.</exception>
    public static void CheckDatastoreFile(ServerSettings settings)
    {
        if (Skipped(settings) || settings.DatastoreKind != DatastoreKind.Sqlite || SqliteDialect.FilePath(settings.DatastoreConnectionString) is not { } file)
        {
            return;
        }

        var state = File.Exists(JournalPath(settings)) ? JournalPath(settings)
            : HasKeyFiles(settings.KeysPath) ? settings.KeysPath
            : null;
        if (state is null)
        {
            return;
        }

        var problem = !File.Exists(file) ? "is missing" : new FileInfo(file).Length == 0 ? "is empty" : null;
        if (problem is not null)
        {
            throw new CaException($"ca: the datastore \"{file}\" {problem}, but \"{state}\" shows this server has run before; {Refusal}");
        }
    }

    /// <summary>After the datastore is opened: when it holds our trust bundle (the server has run before), the keys
    /// directory and the CA journal must exist; and every CA in the journal still in its lifetime must have its key.</summary>
    /// <exception cref="CaException">Some CA state is gone, or the journal is unreadable.</exception>
    /// <exception cref="DatastoreException">The datastore cannot be read.</exception>
    public static async Task CheckCaStateAsync(ServerSettings settings, IDataStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Skipped(settings))
        {
            return;
        }

        var journalPath = JournalPath(settings);
        if (await store.GetBundleAsync(settings.TrustDomain.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            var evidence = $"the datastore shows this server has run before (it holds the trust bundle of \"{settings.TrustDomain.Name}\")";
            if (!Directory.Exists(settings.KeysPath))
            {
                throw new CaException($"ca: the keys directory \"{settings.KeysPath}\" is missing, but {evidence}; {Refusal}");
            }

            if (!File.Exists(journalPath))
            {
                throw new CaException($"ca: the CA journal \"{journalPath}\" is missing, but {evidence}; {Refusal}");
            }
        }

        foreach (var authority in new CaJournal(journalPath).Load().Where(a => a.NotAfter > now))
        {
            var keyFile = DiskKeyManager.KeyFilePath(settings.KeysPath, authority.KeyId);
            if (!File.Exists(keyFile))
            {
                throw new CaException(string.Create(CultureInfo.InvariantCulture,
                    $"ca: the key of the {authority.State.ToString().ToLowerInvariant()} CA (serial {authority.Certificate.SerialNumber.ToLowerInvariant()}) is missing: \"{keyFile}\"; {Refusal}"));
            }
        }
    }

    private static bool Skipped(ServerSettings settings) => settings.ForceNewCa || settings.KeyManagerKind != KeyManagerKind.Disk;

    private static bool HasKeyFiles(string directory) =>
        Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*" + DiskKeyManager.KeyFileSuffix).Any();
}
