using System.Globalization;
using System.Runtime.InteropServices;

namespace AgentFabric.Cli.Up;

/// <summary>
/// A process as the state file records it: its pid and the kernel's start time of that pid (field 22 of
/// <c>/proc/PID/stat</c>, clock ticks since boot). A pid alone can be reused by an unrelated process after ours
/// exited; <c>down</c> signals a recorded process only while both still match, so it never kills a stranger.
/// </summary>
internal readonly partial record struct ProcessIdentity(int Pid, long StartTime)
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>The identity of a live process; null when it is gone (or <c>/proc</c> cannot tell).</summary>
    public static ProcessIdentity? TryRead(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // proc(5): "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so fields are counted from
        // the last ')'. The first field after it is field 3 (state); starttime is field 22.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields.Length < 20 || fields[0] == "Z" || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null; // a zombie has exited: only its parent's wait is left
        }

        return new ProcessIdentity(pid, start);
    }

    public static ProcessIdentity Current => TryRead(Environment.ProcessId) ?? throw new InvalidOperationException("cannot read /proc/self/stat");

    /// <summary>Whether this very process (same pid, same start time) is still running.</summary>
    public bool IsAlive => TryRead(Pid) == this;

    /// <summary>Sends <paramref name="signal"/> if this very process is still running; false when it is gone.</summary>
    public bool Signal(int signal) => IsAlive && Kill(Pid, signal) == 0;

    /// <summary>Sends SIGTERM to a child this process started and has not reaped (its pid cannot be reused yet).</summary>
    public static void Terminate(int pid) => _ = Kill(pid, SigTerm);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
