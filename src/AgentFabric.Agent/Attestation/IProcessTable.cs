namespace AgentFabric.Agent.Attestation;

/// <summary>The kernel's view of running processes (Linux: procfs) as the Unix attestor needs it.</summary>
public interface IProcessTable
{
    /// <summary>The process start time in clock ticks since boot (field 22 of /proc/[pid]/stat); it changes when
    /// the pid is reused by another process.</summary>
    long ReadStartTime(int pid);

    /// <summary>The absolute path of the process executable (the /proc/[pid]/exe link).</summary>
    string ReadExecutablePath(int pid);

    /// <summary>The identity (device, inode, size, times) of the file the process runs, or null when it cannot be
    /// told; a null makes the attestor hash the executable again rather than trust a cached digest.</summary>
    ExecutableIdentity? ReadExecutableIdentity(int pid) => null;

    /// <summary>Opens the executable the process runs (through /proc/[pid]/exe, so a replaced file on disk does not
    /// change the answer).</summary>
    Stream OpenExecutable(int pid);

    /// <summary>The control groups of the process (/proc/[pid]/cgroup), which name its container and pod.</summary>
    string ReadCgroups(int pid);
}
