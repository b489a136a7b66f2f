using System.Globalization;
using System.Text;

namespace AgentFabric.Agent.Attestation;

/// <summary>
/// <see cref="IProcessTable"/> over procfs. Every failure names the /proc entry and the reason: a vanished process,
/// or an entry the agent may not read (another user's process under hidepid, or without CAP_SYS_PTRACE).
/// </summary>
public sealed class LinuxProcessTable(string procRoot = "/proc") : IProcessTable
{
    public long ReadStartTime(int pid)
    {
        string path = Entry(pid, "stat");
        // Read straight into a buffer (no FileStream, no decoding of the whole line): this runs twice per call.
        string stat = Read(path, static p =>
        {
            using var handle = File.OpenHandle(p);
            Span<byte> buffer = stackalloc byte[2048]; // the line is a few hundred bytes; starttime is field 22
            int length = 0;
            int read;
            while (length < buffer.Length && (read = RandomAccess.Read(handle, buffer[length..], length)) > 0)
            {
                length += read;
            }

            return Encoding.ASCII.GetString(buffer[..length]);
        });

        // proc(5): "pid (comm) state ppid ..."; comm may contain spaces and ')', so fields are counted after the last ')'.
        int close = stat.LastIndexOf(')');
        string[] fields = close < 0 ? [] : stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Field 22 (starttime) is the 20th after comm (fields 3..).
        if (fields.Length < 20 || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start))
        {
            throw new WorkloadAttestationException($"unix attestor: cannot parse the start time in {path}");
        }

        return start;
    }

    public string ReadExecutablePath(int pid)
    {
        string path = Entry(pid, "exe");
        var target = Read(path, p => new FileInfo(p).LinkTarget);
        return string.IsNullOrEmpty(target)
            ? throw new WorkloadAttestationException($"unix attestor: cannot read {path}: not a link (kernel thread?)")
            : target;
    }

    public ExecutableIdentity? ReadExecutableIdentity(int pid) => ExecutableIdentity.TryRead(Entry(pid, "exe"));

    public string ReadCgroups(int pid) => Read(Entry(pid, "cgroup"), File.ReadAllText);

    public Stream OpenExecutable(int pid) => Read(Entry(pid, "exe"), p => (Stream)File.OpenRead(p));

    private string Entry(int pid, string name) =>
        Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), name);

    internal static T Read<T>(string path, Func<string, T> read)
    {
        try
        {
            return read(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new WorkloadAttestationException($"unix attestor: cannot read {path}: the process has exited", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new WorkloadAttestationException($"unix attestor: cannot read {path}: permission denied", ex);
        }
        catch (IOException ex)
        {
            throw new WorkloadAttestationException($"unix attestor: cannot read {path}: {ex.Message}", ex);
        }
    }
}
