using System.Globalization;
using AgentFabric.Agent.Identity;

namespace AgentFabric.Agent.Attestation;

/// <summary>
/// Unix workload attestation: <c>unix:uid</c>, <c>unix:gid</c> (from SO_PEERCRED), <c>unix:user</c>,
/// <c>unix:group</c> (their names), <c>unix:path</c> (the executable) and <c>unix:sha256</c> (its digest). The
/// process start time is read before and after the /proc reads: if the pid now names another process (the caller
/// exited and the pid was reused), attestation fails instead of describing the wrong process.
/// </summary>
/// <remarks>
/// A warm Workload API call must not re-hash the caller's executable nor re-read passwd: the digest is cached per file
/// identity (device, inode, size, mtime, ctime — <see cref="ExecutableIdentity"/>), and the selectors per process
/// (pid, start time, uid, gid, executable path and file identity) for <see cref="UnixWorkloadAttestorOptions.ResultLifetime"/>.
/// A reused pid has another start time, an exec another path or file, a rewritten binary another ctime: each is a
/// new key, attested from scratch, with the start-time guard around the reads.
/// </remarks>
public sealed partial class UnixWorkloadAttestor : IWorkloadAttestor
{
    private readonly IProcessTable _processes;
    private readonly UserDirectory _users;
    private readonly UnixWorkloadAttestorOptions _options;
    private readonly AttestationCache<ProcessKey, Selector[]> _results;

    public UnixWorkloadAttestor()
        : this(new LinuxProcessTable(), new UserDirectory())
    {
    }

    public UnixWorkloadAttestor(IProcessTable processes, UserDirectory users, UnixWorkloadAttestorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(users);
        _processes = processes;
        _users = users;
        _options = options ?? new UnixWorkloadAttestorOptions();
        _results = new(_options.MaxCachedResults, _options.ResultLifetime, _options.TimeProvider);
        _digests = new(_options.MaxCachedDigests, TimeSpan.MaxValue, _options.TimeProvider);
    }

    public string Name => "unix";

    public async Task<IReadOnlyList<Selector>> AttestAsync(WorkloadProcess process, CancellationToken cancellationToken)
    {
        long startBefore = _processes.ReadStartTime(process.Pid);
        string path = _processes.ReadExecutablePath(process.Pid);
        var executable = _processes.ReadExecutableIdentity(process.Pid);
        ProcessKey? key = executable is { } file ? new ProcessKey(process, startBefore, path, file) : null;
        if (key is { } known && _results.TryGet(known, out var cached))
        {
            // No second start-time read: the cached selectors were verified for exactly this process (pid and start
            // time read first) running exactly this file, so whatever happened since the first read, they describe
            // the process with that start time — the one a reused pid would have replaced.
            return cached;
        }

        (string digest, bool settled) = await DigestAsync(process.Pid, path, executable, cancellationToken).ConfigureAwait(false);
        var selectors = Describe(process, path, digest);
        long startAfter = _processes.ReadStartTime(process.Pid);
        if (startAfter != startBefore)
        {
            throw new WorkloadAttestationException(
                $"unix attestor: process {process.Pid} was replaced during attestation (pid reused: start time {startBefore} became {startAfter})");
        }

        if (settled && key is { } newKey)
        {
            _results.Set(newKey, selectors);
        }

        return selectors;
    }

    private Selector[] Describe(WorkloadProcess process, string path, string digest)
    {
        var selectors = new List<Selector>(6)
        {
            new("unix", "uid:" + process.Uid.ToString(CultureInfo.InvariantCulture)),
            new("unix", "gid:" + process.Gid.ToString(CultureInfo.InvariantCulture)),
            new("unix", "path:" + path),
            new("unix", "sha256:" + digest),
        };
        if (_users.UserName(process.Uid) is { } user)
        {
            selectors.Add(new("unix", "user:" + user));
        }

        if (_users.GroupName(process.Gid) is { } group)
        {
            selectors.Add(new("unix", "group:" + group));
        }

        return [.. selectors];
    }

    /// <summary>One process as attested: a different value in any field is a different process or program.</summary>
    private readonly record struct ProcessKey(WorkloadProcess Process, long StartTime, string Path, ExecutableIdentity Executable);
}
