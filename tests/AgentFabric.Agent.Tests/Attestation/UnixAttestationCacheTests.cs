using System.Security.Cryptography;
using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Identity;
using Microsoft.Extensions.Time.Testing;
using FakeProcessTable = AgentFabric.Agent.Tests.Attestation.UnixWorkloadAttestorTests.FakeProcessTable;

namespace AgentFabric.Agent.Tests.Attestation;

/// <summary>
/// The Unix attestor's caches: a warm call re-hashes nothing and re-reads no passwd, yet every change that can alter
/// a selector (pid reused, exec, binary rewritten or replaced, names edited past the lifetime) is attested afresh.
/// </summary>
public sealed class UnixAttestationCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("af-unixcache-").FullName;

    // Files written by the test are "settled" for a clock a minute ahead of the wall clock.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow.AddMinutes(1));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task SameProcess_SecondCallServedFromCache_NothingReadAgain()
    {
        string exe = WriteExecutable("tool", "version 1");
        var table = new FakeProcessTable { Path = exe, StartTimes = new([7, 7, 7, 7]) };
        var attestor = NewAttestor(table, users: "alice");

        var first = await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);
        WriteUsers("renamed");
        var second = await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Contains(new Selector("unix", "user:alice"), second);
        Assert.Equal(1, table.Opened);
    }

    [Fact]
    public async Task PidReused_NewStartTime_AttestedAgain_DigestStillCached()
    {
        string exe = WriteExecutable("tool", "version 1");
        var table = new FakeProcessTable { Path = exe, StartTimes = new([7, 7, 8, 8]) };
        var attestor = NewAttestor(table, users: "alice");

        var first = await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);
        WriteUsers("bob");
        var second = await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);

        Assert.Contains(new Selector("unix", "user:alice"), first);
        Assert.Contains(new Selector("unix", "user:bob"), second);
        Assert.Equal(1, table.Opened); // same binary: the digest is reused, the process is not
    }

    [Fact]
    public async Task CachedAnswer_OneStartTimeRead_PidReuseAfterwardsStillCaught()
    {
        string exe = WriteExecutable("tool", "version 1");
        var table = new FakeProcessTable { Path = exe, StartTimes = new([7, 7, 7, 8, 9]) };
        var attestor = NewAttestor(table, users: "alice");
        await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);
        await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None); // hit: reads 7 once

        // A new start time is a miss, attested with the guard: replaced again during the reads, it fails.
        var error = await Assert.ThrowsAsync<WorkloadAttestationException>(
            () => attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None));

        Assert.Equal("unix attestor: process 42 was replaced during attestation (pid reused: start time 8 became 9)", error.Message);
        Assert.Empty(table.StartTimes);
    }

    [Fact]
    public async Task Exec_OtherExecutable_AttestedAgain()
    {
        string one = WriteExecutable("one", "program one");
        string two = WriteExecutable("two", "program two");
        var table = new FakeProcessTable { Path = one, StartTimes = new([7, 7, 7, 7]) };
        var attestor = NewAttestor(table, users: "alice");

        await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);
        table.Path = two; // execve keeps pid and start time
        var second = await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);

        Assert.Contains(new Selector("unix", "path:" + two), second);
        Assert.Contains(new Selector("unix", "sha256:" + Sha256("program two")), second);
    }

    [Fact]
    public async Task BinaryRewrittenInPlace_SameSizeAndMtime_HashedAgain()
    {
        string exe = WriteExecutable("tool", "version 1");
        var modified = File.GetLastWriteTimeUtc(exe);
        var table = new FakeProcessTable { Path = exe, StartTimes = new([7, 7, 7, 7]) };
        var attestor = NewAttestor(table, users: "alice");
        var first = await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);

        await WaitForNextFileTimeTickAsync(exe);
        File.WriteAllText(exe, "version 2"); // same length
        File.SetLastWriteTimeUtc(exe, modified); // mtime put back; ctime cannot be
        var second = await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);

        Assert.Contains(new Selector("unix", "sha256:" + Sha256("version 1")), first);
        Assert.Contains(new Selector("unix", "sha256:" + Sha256("version 2")), second);
        Assert.Equal(2, table.Opened);
    }

    [Fact]
    public async Task BinaryReplacedByRename_HashedAgain()
    {
        string exe = WriteExecutable("tool", "version 1");
        var table = new FakeProcessTable { Path = exe, StartTimes = new([7, 7, 8, 8]) };
        var attestor = NewAttestor(table, users: "alice");
        await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);

        string staged = WriteExecutable("tool.new", "version 2");
        File.Move(staged, exe, overwrite: true); // a new inode under the old name
        var second = await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);

        Assert.Contains(new Selector("unix", "sha256:" + Sha256("version 2")), second);
    }

    [Fact]
    public async Task ResultLifetimeOver_NamesReadAgain()
    {
        string exe = WriteExecutable("tool", "version 1");
        var table = new FakeProcessTable { Path = exe, StartTimes = new([7, 7, 7, 7, 7, 7]) };
        var attestor = NewAttestor(table, users: "alice");
        await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);
        WriteUsers("bob");

        _clock.Advance(TimeSpan.FromSeconds(9));
        var within = await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var after = await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);

        Assert.Contains(new Selector("unix", "user:alice"), within);
        Assert.Contains(new Selector("unix", "user:bob"), after);
        Assert.Equal(1, table.Opened);
    }

    [Fact]
    public async Task JustWrittenBinary_NotCached()
    {
        string exe = WriteExecutable("tool", "version 1");
        var table = new FakeProcessTable { Path = exe, StartTimes = new([7, 7, 7, 7]) };
        _clock.AdjustTime(DateTimeOffset.UtcNow); // the file changed less than a second ago
        var attestor = NewAttestor(table, users: "alice");

        await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);
        await attestor.AttestAsync(new WorkloadProcess(42, 1000, 1000), CancellationToken.None);

        Assert.Equal(2, table.Opened);
    }

    [Fact]
    public async Task NoFileIdentity_NeverCached()
    {
        string exe = WriteExecutable("tool", "version 1");
        var table = new NoIdentityTable(exe);
        var attestor = new UnixWorkloadAttestor(table, new UserDirectory(), new UnixWorkloadAttestorOptions { TimeProvider = _clock });

        await attestor.AttestAsync(new WorkloadProcess(42, 0, 0), CancellationToken.None);
        await attestor.AttestAsync(new WorkloadProcess(42, 0, 0), CancellationToken.None);

        Assert.Equal(2, table.Opened);
    }

    [Fact]
    public void ExecutableIdentity_HardLinkSame_CopyDiffers_RewriteChanges()
    {
        string exe = WriteExecutable("tool", "version 1");
        string link = Path.Combine(_root, "link");
        File.CreateSymbolicLink(link, exe);
        string copy = Path.Combine(_root, "copy");
        File.Copy(exe, copy);

        var identity = ExecutableIdentity.TryRead(exe);
        using var handle = File.OpenHandle(exe);

        Assert.NotNull(identity);
        Assert.Equal(9UL, identity.Value.Size);
        Assert.Equal(File.GetLastWriteTimeUtc(exe), DateTimeOffset.FromUnixTimeSeconds(identity.Value.ModifiedSeconds).AddTicks(identity.Value.ModifiedNanoseconds / 100).UtcDateTime);
        Assert.Equal(identity, ExecutableIdentity.TryRead(link)); // links followed, as for /proc/[pid]/exe
        Assert.Equal(identity, ExecutableIdentity.TryRead(handle));
        Assert.NotEqual(identity.Value.Inode, ExecutableIdentity.TryRead(copy)!.Value.Inode);
        Assert.Null(ExecutableIdentity.TryRead(Path.Combine(_root, "missing")));
    }

    [Fact]
    public void ExecutableIdentity_ProcSelfExe_IsTheRunningBinary()
    {
        var viaProc = ExecutableIdentity.TryRead("/proc/self/exe");

        Assert.NotNull(viaProc);
        Assert.Equal(ExecutableIdentity.TryRead(new FileInfo("/proc/self/exe").LinkTarget!), viaProc);
    }

    [Fact]
    public void Cache_Bounded_ExpiredFirstThenCleared()
    {
        var cache = new AttestationCache<int, string>(2, TimeSpan.FromSeconds(10), _clock);
        cache.Set(1, "one");
        _clock.Advance(TimeSpan.FromSeconds(11));
        cache.Set(2, "two");
        cache.Set(3, "three"); // full: the expired 1 goes

        Assert.False(cache.TryGet(1, out _));
        Assert.True(cache.TryGet(2, out var two));
        Assert.Equal("two", two);
        Assert.Equal(2, cache.Count);

        cache.Set(4, "four"); // full, nothing expired: dropped wholesale
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(4, out _));
    }

    private UnixWorkloadAttestor NewAttestor(FakeProcessTable table, string users)
    {
        WriteUsers(users);
        return new UnixWorkloadAttestor(
            table,
            new UserDirectory(Path.Combine(_root, "passwd"), Path.Combine(_root, "group")),
            new UnixWorkloadAttestorOptions { TimeProvider = _clock });
    }

    private void WriteUsers(string name)
    {
        File.WriteAllText(Path.Combine(_root, "passwd"), $"{name}:x:1000:1000::/home/{name}:/bin/sh\n");
        File.WriteAllText(Path.Combine(_root, "group"), $"{name}:x:1000:\n");
    }

    private string WriteExecutable(string name, string content)
    {
        string path = Path.Combine(_root, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));

    /// <summary>File times advance in kernel ticks; a rewrite in the same tick would keep the ctime (which is why
    /// the attestor only caches settled files). Waits until a probe file written now gets a later ctime.</summary>
    private async Task WaitForNextFileTimeTickAsync(string file)
    {
        var changed = ExecutableIdentity.TryRead(file)!.Value.Changed;
        string probe = Path.Combine(_root, "probe");
        for (int i = 0; i < 200; i++)
        {
            File.WriteAllText(probe, "x");
            if (ExecutableIdentity.TryRead(probe)!.Value.Changed > changed)
            {
                return;
            }

            await Task.Delay(5);
        }

        throw new InvalidOperationException("file times did not advance in one second");
    }

    /// <summary>A process table that cannot identify files (statx unavailable).</summary>
    private sealed class NoIdentityTable(string path) : IProcessTable
    {
        private int _opened;

        public int Opened => _opened;

        public long ReadStartTime(int pid) => 1;

        public string ReadExecutablePath(int pid) => path;

        public Stream OpenExecutable(int pid)
        {
            Interlocked.Increment(ref _opened);
            return new MemoryStream(File.ReadAllBytes(path));
        }

        public string ReadCgroups(int pid) => "0::/\n";
    }
}
