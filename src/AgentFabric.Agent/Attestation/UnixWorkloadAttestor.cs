using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using AgentFabric.Agent.Identity;

namespace AgentFabric.Agent.Attestation;

/// <summary>
/// Unix workload attestation: <c>unix:uid</c>, <c>unix:gid</c> (from SO_PEERCRED), <c>unix:user</c>,
/// <c>unix:group</c> (their names), <c>unix:path</c> (the executable) and <c>unix:sha256</c> (its digest). The
/// process start time is read before and after the /proc reads: if the pid now names another process (the caller
/// exited and the pid was reused), attestation fails instead of describing the wrong process.
/// </summary>
public sealed class UnixWorkloadAttestor(IProcessTable processes, UserDirectory users, long maxDigestBytes = 256L * 1024 * 1024)
    : IWorkloadAttestor
{
    public UnixWorkloadAttestor()
        : this(new LinuxProcessTable(), new UserDirectory())
    {
    }

    // Digests of executables already hashed, keyed by path, size and modification time: re-hashing a binary on
    // every call would dominate a warm fetch. A changed file gets a new key and is hashed again.
    private readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), string> _digests = new();

    public string Name => "unix";

    public async Task<IReadOnlyList<Selector>> AttestAsync(WorkloadProcess process, CancellationToken cancellationToken)
    {
        long startBefore = processes.ReadStartTime(process.Pid);
        string path = processes.ReadExecutablePath(process.Pid);
        string digest = await DigestAsync(process.Pid, path, cancellationToken).ConfigureAwait(false);
        long startAfter = processes.ReadStartTime(process.Pid);
        if (startAfter != startBefore)
        {
            throw new WorkloadAttestationException(
                $"unix attestor: process {process.Pid} was replaced during attestation (pid reused: start time {startBefore} became {startAfter})");
        }

        var selectors = new List<Selector>
        {
            new("unix", "uid:" + process.Uid.ToString(CultureInfo.InvariantCulture)),
            new("unix", "gid:" + process.Gid.ToString(CultureInfo.InvariantCulture)),
            new("unix", "path:" + path),
            new("unix", "sha256:" + digest),
        };
        if (users.UserName(process.Uid) is { } user)
        {
            selectors.Add(new("unix", "user:" + user));
        }

        if (users.GroupName(process.Gid) is { } group)
        {
            selectors.Add(new("unix", "group:" + group));
        }

        return selectors;
    }

    private async Task<string> DigestAsync(int pid, string path, CancellationToken cancellationToken)
    {
        await using var stream = processes.OpenExecutable(pid);
        (string, long, DateTime)? key = stream is FileStream file && stream.CanSeek
            ? (path, stream.Length, File.GetLastWriteTimeUtc(file.SafeFileHandle))
            : null;
        if (key is { } cachedKey && _digests.TryGetValue(cachedKey, out var cached))
        {
            return cached;
        }

        if (stream.CanSeek && stream.Length > maxDigestBytes)
        {
            throw new WorkloadAttestationException(
                $"unix attestor: executable {path} is {stream.Length} bytes, over the digest limit of {maxDigestBytes}");
        }

        byte[] hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        string digest = Convert.ToHexStringLower(hash);
        if (key is { } newKey)
        {
            if (_digests.Count >= 4096)
            {
                _digests.Clear(); // bounded: a node runs far fewer distinct binaries than this
            }

            _digests[newKey] = digest;
        }

        return digest;
    }
}
