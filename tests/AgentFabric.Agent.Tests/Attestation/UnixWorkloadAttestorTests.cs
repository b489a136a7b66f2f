using System.Globalization;
using System.Security.Cryptography;
using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.Infrastructure;

namespace AgentFabric.Agent.Tests.Attestation;

public sealed class UnixWorkloadAttestorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("af-proc-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task RealProcess_SelectorsFromKernel()
    {
        var attestor = new UnixWorkloadAttestor();
        var self = new WorkloadProcess(Environment.ProcessId, SelfProcess.Uid, SelfProcess.Gid);

        var selectors = await attestor.AttestAsync(self, CancellationToken.None);

        string digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(SelfProcess.ExecutablePath)));
        Assert.Contains(SelfProcess.UidSelector, selectors);
        Assert.Contains(new Selector("unix", "gid:" + SelfProcess.Gid.ToString(CultureInfo.InvariantCulture)), selectors);
        Assert.Contains(SelfProcess.PathSelector, selectors);
        Assert.Contains(new Selector("unix", "sha256:" + digest), selectors);
        if (SelfProcess.Uid == 0)
        {
            Assert.Contains(new Selector("unix", "user:root"), selectors);
            Assert.Contains(new Selector("unix", "group:root"), selectors);
        }
    }

    [Fact]
    public async Task UserAndGroupNames_FromPasswdAndGroupFiles()
    {
        File.WriteAllText(Path.Combine(_root, "passwd"), "root:x:0:0::/root:/bin/sh\nagent:x:1234:1234::/home/agent:/bin/sh\n");
        File.WriteAllText(Path.Combine(_root, "group"), "root:x:0:\nagents:x:4321:\n");
        var table = new FakeProcessTable { Path = SelfProcess.ExecutablePath };
        var attestor = new UnixWorkloadAttestor(table, new UserDirectory(Path.Combine(_root, "passwd"), Path.Combine(_root, "group")));

        var selectors = await attestor.AttestAsync(new WorkloadProcess(42, 1234, 4321), CancellationToken.None);

        Assert.Contains(new Selector("unix", "user:agent"), selectors);
        Assert.Contains(new Selector("unix", "group:agents"), selectors);
        Assert.Contains(new Selector("unix", "uid:1234"), selectors);
    }

    [Fact]
    public async Task PidReusedDuringAttestation_Fails()
    {
        var table = new FakeProcessTable { Path = SelfProcess.ExecutablePath, StartTimes = new Queue<long>([1000, 2000]) };
        var attestor = new UnixWorkloadAttestor(table, new UserDirectory());

        var error = await Assert.ThrowsAsync<WorkloadAttestationException>(
            () => attestor.AttestAsync(new WorkloadProcess(42, 0, 0), CancellationToken.None));

        Assert.Equal("unix attestor: process 42 was replaced during attestation (pid reused: start time 1000 became 2000)", error.Message);
    }

    [Fact]
    public void ProcessTable_ExitedProcess_NamesTheEntry()
    {
        var table = new LinuxProcessTable(_root);

        var error = Assert.Throws<WorkloadAttestationException>(() => table.ReadStartTime(77));

        Assert.Equal($"unix attestor: cannot read {_root}/77/stat: the process has exited", error.Message);
    }

    [Fact]
    public void ProcessTable_ReadsStartTimeAfterCommWithSpacesAndParens()
    {
        Directory.CreateDirectory(Path.Combine(_root, "5"));
        // comm "a) b" contains ") " — fields are counted after the last ')'.
        string fields = string.Join(' ', Enumerable.Range(3, 50).Select(i => i == 22 ? "987654" : i.ToString(CultureInfo.InvariantCulture)));
        File.WriteAllText(Path.Combine(_root, "5", "stat"), "5 (a) b) " + fields + "\n");

        Assert.Equal(987654, new LinuxProcessTable(_root).ReadStartTime(5));
    }

    [Fact]
    public void ProcessTable_GarbledStat_Fails()
    {
        Directory.CreateDirectory(Path.Combine(_root, "6"));
        File.WriteAllText(Path.Combine(_root, "6", "stat"), "6 (x) S 1\n");

        var error = Assert.Throws<WorkloadAttestationException>(() => new LinuxProcessTable(_root).ReadStartTime(6));

        Assert.Equal($"unix attestor: cannot parse the start time in {_root}/6/stat", error.Message);
    }

    [Fact]
    public void ProcessTable_ExeNotALink_Fails()
    {
        Directory.CreateDirectory(Path.Combine(_root, "7"));
        File.WriteAllText(Path.Combine(_root, "7", "exe"), string.Empty);

        var error = Assert.Throws<WorkloadAttestationException>(() => new LinuxProcessTable(_root).ReadExecutablePath(7));

        Assert.Equal($"unix attestor: cannot read {_root}/7/exe: not a link (kernel thread?)", error.Message);
    }

    [Fact]
    public void ProcessTable_UnreadableEntry_SaysPermissionDenied()
    {
        // What procfs raises for another user's process (hidepid, ptrace access mode); root bypasses file modes, so
        // the kernel's answer is reproduced at the read.
        var error = Assert.Throws<WorkloadAttestationException>(
            () => LinuxProcessTable.Read<string>("/proc/1/exe", _ => throw new UnauthorizedAccessException("Access to the path is denied.")));

        Assert.Equal("unix attestor: cannot read /proc/1/exe: permission denied", error.Message);
        Assert.IsType<UnauthorizedAccessException>(error.InnerException);
    }

    [Fact]
    public async Task ReplacedExecutable_HashedAgain()
    {
        string exe = Path.Combine(_root, "tool");
        File.WriteAllText(exe, "version 1");
        var attestor = new UnixWorkloadAttestor(new FakeProcessTable { Path = exe }, new UserDirectory());

        var first = await attestor.AttestAsync(new WorkloadProcess(42, 0, 0), CancellationToken.None);
        File.WriteAllText(exe, "version two");
        var second = await attestor.AttestAsync(new WorkloadProcess(42, 0, 0), CancellationToken.None);

        Assert.Contains(new Selector("unix", "sha256:" + Convert.ToHexStringLower(SHA256.HashData("version 1"u8))), first);
        Assert.Contains(new Selector("unix", "sha256:" + Convert.ToHexStringLower(SHA256.HashData("version two"u8))), second);
    }

    [Fact]
    public async Task ExecutableOverDigestLimit_Fails()
    {
        var table = new FakeProcessTable { Path = SelfProcess.ExecutablePath };
        var attestor = new UnixWorkloadAttestor(table, new UserDirectory(), new UnixWorkloadAttestorOptions { MaxDigestBytes = 10 });

        var error = await Assert.ThrowsAsync<WorkloadAttestationException>(
            () => attestor.AttestAsync(new WorkloadProcess(42, 0, 0), CancellationToken.None));

        long size = new FileInfo(SelfProcess.ExecutablePath).Length;
        Assert.Equal($"unix attestor: executable {SelfProcess.ExecutablePath} is {size} bytes, over the digest limit of 10", error.Message);
    }

    /// <summary>The kernel's process table, scripted (we do not own procfs); the executable is a real file.</summary>
    internal sealed class FakeProcessTable : IProcessTable
    {
        private int _opened;

        public required string Path { get; set; }

        public Queue<long> StartTimes { get; init; } = new([1, 1]);

        /// <summary>How many times the executable was opened (hashed).</summary>
        public int Opened => _opened;

        public long ReadStartTime(int pid) => StartTimes.TryDequeue(out long start) ? start : 1;

        public string ReadExecutablePath(int pid) => Path;

        public ExecutableIdentity? ReadExecutableIdentity(int pid) => ExecutableIdentity.TryRead(Path);

        public Stream OpenExecutable(int pid)
        {
            Interlocked.Increment(ref _opened);
            return File.OpenRead(Path);
        }

        public string ReadCgroups(int pid) => "0::/\n";
    }
}
