using System.Collections;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Config;
using AgentFabric.Server.Hosting;
using AgentFabric.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentFabric.Server.Tests.Ca;

/// <summary>The CA never changes silently: a server that has run before refuses to start when its CA journal, keys
/// directory or a CA key vanished, or its datastore did while the CA state is still there; nothing on disk changes;
/// <c>-forceNewCA</c> starts a new CA deliberately.</summary>
public class CaContinuityTests
{
    private const string Refusal = "refusing to start with a new CA: restore it, or run \"server run -forceNewCA\" to start a new CA deliberately";

    public static TheoryData<string> Losses => ["journal", "keys directory", "CA key", "datastore deleted", "datastore emptied"];

    [Theory]
    [MemberData(nameof(Losses))]
    public async Task Refuses_WhenCaStateOrDatastoreVanished_AndChangesNothing(string loss)
    {
        using var dir = new TempDirectory();
        var settings = Settings(dir);
        var (thumbprint, keyId) = await RunOnceAsync(settings);
        var expected = Lose(dir, settings, loss, keyId);
        var before = Snapshot(dir.Path);

        var e = await Assert.ThrowsAsync<CaException>(() => ServerRuntime.StartAsync(settings, NullLoggerFactory.Instance, TestTime.StartingNow()));

        Assert.Equal(expected, e.Message);
        Assert.Equal(before, Snapshot(dir.Path));
        Assert.NotEqual(string.Empty, thumbprint);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public async Task ForceNewCa_StartsANewCa(string loss)
    {
        using var dir = new TempDirectory();
        var settings = Settings(dir);
        var (thumbprint, keyId) = await RunOnceAsync(settings);
        Lose(dir, settings, loss, keyId);

        await using var runtime = await ServerRuntime.StartAsync(settings with { ForceNewCa = true }, NullLoggerFactory.Instance, TestTime.StartingNow());

        Assert.NotEqual(thumbprint, runtime.Ca.Active.Certificate.Thumbprint);
        Assert.Single(runtime.Ca.Authorities);
        var own = await runtime.Bundles.GetOwnAsync();
        Assert.Equal([runtime.Ca.Active.Certificate.Thumbprint], BundleThumbprints(own));
    }

    [Fact]
    public async Task NormalRestart_KeepsTheCa()
    {
        using var dir = new TempDirectory();
        var settings = Settings(dir);
        var (thumbprint, _) = await RunOnceAsync(settings);

        await using var runtime = await ServerRuntime.StartAsync(settings, NullLoggerFactory.Instance, TestTime.StartingNow());

        Assert.Equal(thumbprint, runtime.Ca.Active.Certificate.Thumbprint);
    }

    [Fact]
    public async Task FirstStart_WithNothingOnDisk_StartsANewCa()
    {
        using var dir = new TempDirectory();

        await using var runtime = await ServerRuntime.StartAsync(Settings(dir), NullLoggerFactory.Instance, TestTime.StartingNow());

        Assert.Single(runtime.Ca.Authorities);
    }

    [Fact]
    public async Task MemoryKeyManager_StartsANewCaEachTime_WithoutRefusing()
    {
        using var dir = new TempDirectory();
        var settings = Settings(dir, """, "key_manager": { "type": "memory" }""");
        var (thumbprint, _) = await RunOnceAsync(settings);

        await using var runtime = await ServerRuntime.StartAsync(settings, NullLoggerFactory.Instance, TestTime.StartingNow());

        Assert.NotEqual(thumbprint, runtime.Ca.Active.Certificate.Thumbprint);
    }

    private static ServerSettings Settings(TempDirectory dir, string extraJson = "") => ServerConfigLoader.Load($$"""
        {
          "trust_domain": "agentvault.com",
          "socket_path": "{{dir.Combine("sock/api.sock")}}",
          "data_dir": "{{dir.Combine("data")}}"
          {{extraJson}}
        }
        """, new Hashtable());

    private static async Task<(string Thumbprint, string KeyId)> RunOnceAsync(ServerSettings settings)
    {
        await using var runtime = await ServerRuntime.StartAsync(settings, NullLoggerFactory.Instance, TestTime.StartingNow());
        return (runtime.Ca.Active.Certificate.Thumbprint, runtime.Ca.Active.KeyId);
    }

    // Removes one piece of state and returns the message the next start must refuse with.
    private static string Lose(TempDirectory dir, ServerSettings settings, string loss, string keyId)
    {
        var journal = dir.Combine("data/ca-journal.json");
        var keys = dir.Combine("data/keys");
        var database = dir.Combine("data/datastore.sqlite3");
        var ranBefore = "the datastore shows this server has run before (it holds the trust bundle of \"agentvault.com\")";
        switch (loss)
        {
            case "journal":
                File.Delete(journal);
                return $"ca: the CA journal \"{journal}\" is missing, but {ranBefore}; {Refusal}";
            case "keys directory":
                Directory.Delete(keys, recursive: true);
                return $"ca: the keys directory \"{keys}\" is missing, but {ranBefore}; {Refusal}";
            case "CA key":
                var serial = new CaJournal(journal).Load().Single().Certificate.SerialNumber.ToLowerInvariant();
                File.Delete(Path.Combine(keys, keyId + ".key.pem"));
                return $"ca: the key of the active CA (serial {serial}) is missing: \"{Path.Combine(keys, keyId + ".key.pem")}\"; {Refusal}";
            case "datastore deleted":
                File.Delete(database);
                return $"ca: the datastore \"{database}\" is missing, but \"{journal}\" shows this server has run before; {Refusal}";
            case "datastore emptied":
                File.WriteAllBytes(database, []);
                return $"ca: the datastore \"{database}\" is empty, but \"{journal}\" shows this server has run before; {Refusal}";
            default:
                throw new ArgumentOutOfRangeException(nameof(loss), loss, "unknown loss");
        }
    }

    // Every directory and file under the root with its bytes.
    private static SortedDictionary<string, string> Snapshot(string root) => new(
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).ToDictionary(
            p => Path.GetRelativePath(root, p),
            p => Directory.Exists(p) ? "<dir>" : Convert.ToHexString(File.ReadAllBytes(p))),
        StringComparer.Ordinal);

    private static string[] BundleThumbprints(AgentFabric.Server.Datastore.StoredBundle own) =>
        AgentFabric.Server.Federation.BundleService.ParsePem(own.X509AuthoritiesPem).Select(c => c.Thumbprint).ToArray();
}
