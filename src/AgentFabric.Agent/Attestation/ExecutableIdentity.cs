using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AgentFabric.Agent.Attestation;

/// <summary>
/// What tells one executable file's content from another without reading it: device, inode, size, and the
/// modification and status-change times, from statx(2). The status-change time (ctime) cannot be set from user space
/// and moves on every write, rename, link or attribute change, so a binary rewritten in place (even with its mtime put
/// back) or replaced by another file gets a new identity.
/// </summary>
public readonly partial record struct ExecutableIdentity(
    uint DeviceMajor,
    uint DeviceMinor,
    ulong Inode,
    ulong Size,
    long ModifiedSeconds,
    uint ModifiedNanoseconds,
    long ChangedSeconds,
    uint ChangedNanoseconds)
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxMtime = 0x40;
    private const uint StatxCtime = 0x80;
    private const uint StatxIno = 0x100;
    private const uint StatxSize = 0x200;
    private const uint Wanted = StatxMtime | StatxCtime | StatxIno | StatxSize;

    /// <summary>When the file's content or metadata last changed (ctime).</summary>
    public DateTimeOffset Changed =>
        DateTimeOffset.FromUnixTimeSeconds(ChangedSeconds).AddTicks(ChangedNanoseconds / 100);

    /// <summary>The identity of the file <paramref name="path"/> names, links followed (so <c>/proc/[pid]/exe</c>
    /// gives the file the process runs, even once deleted), or null when the kernel cannot tell (no statx, file
    /// gone, no permission): the caller then treats the file as never seen.</summary>
    public static ExecutableIdentity? TryRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return OperatingSystem.IsLinux() && TryStatx(AtFdCwd, path, 0, out var buffer) ? From(buffer) : null;
    }

    /// <summary>The identity of an open file (statx with AT_EMPTY_PATH), or null when the kernel cannot tell.</summary>
    public static ExecutableIdentity? TryRead(SafeFileHandle file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!OperatingSystem.IsLinux() || file.IsInvalid || file.IsClosed)
        {
            return null;
        }

        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            int fd = (int)file.DangerousGetHandle();
            return TryStatx(fd, string.Empty, AtEmptyPath, out var buffer) ? From(buffer) : null;
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    private static ExecutableIdentity? From(in StatxBuffer buffer) =>
        (buffer.Mask & Wanted) != Wanted
            ? null // the file system could not report a field: never cache on a partial identity
            : new ExecutableIdentity(
                buffer.DeviceMajor,
                buffer.DeviceMinor,
                buffer.Inode,
                buffer.Size,
                buffer.ModifiedSeconds,
                buffer.ModifiedNanoseconds,
                buffer.ChangedSeconds,
                buffer.ChangedNanoseconds);

    private static bool TryStatx(int directoryFd, string path, int flags, out StatxBuffer buffer)
    {
        try
        {
            return Statx(directoryFd, path, flags, Wanted, out buffer) == 0;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without statx (glibc before 2.28, older musl): identities unknown, nothing is cached.
            buffer = default;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>struct statx (linux/stat.h): the same 256-byte layout on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0)]
        public uint Mask;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(96)]
        public long ChangedSeconds;

        [FieldOffset(104)]
        public uint ChangedNanoseconds;

        [FieldOffset(112)]
        public long ModifiedSeconds;

        [FieldOffset(120)]
        public uint ModifiedNanoseconds;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }
}
