using System.Globalization;
using System.Runtime.InteropServices;
using AgentFabric.Server.Config;

namespace AgentFabric.Server.Hosting;

/// <summary>
/// The Admin API socket's directory decides who may replace the socket (and so impersonate the server to its CLI):
/// it must be owned by the server's user and writable by no one else, or the server refuses to start. A missing
/// directory is created 0700.
/// </summary>
internal static partial class SocketDirectory
{
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint WantedFields = 0x2 | 0x8; // STATX_MODE | STATX_UID

    /// <summary>Creates the directory of <paramref name="socketPath"/> (0700) or checks the existing one.</summary>
    /// <exception cref="ServerConfigException">The directory is writable by its group or others, or owned by another user.</exception>
    public static void Prepare(string socketPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(socketPath))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        if (!Directory.Exists(directory))
        {
            Datastore.SqliteFileModes.CreatePrivateDirectory(directory);
            return;
        }

        var mode = File.GetUnixFileMode(directory);
        if ((mode & WritableByOthers) != 0)
        {
            throw new ServerConfigException(string.Create(CultureInfo.InvariantCulture,
                $"config: the directory of socket_path \"{directory}\" is writable by its group or others (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}); refusing to start: another user could replace the Admin API socket. Make it writable by the server's user only (chmod 0700)"));
        }

        if (Statx(CurrentDirectory, directory, 0, WantedFields, out var status) == 0 && status.Uid != GetEffectiveUserId())
        {
            throw new ServerConfigException(string.Create(CultureInfo.InvariantCulture,
                $"config: the directory of socket_path \"{directory}\" is owned by uid {status.Uid}, not by the server's user (uid {GetEffectiveUserId()}); refusing to start: its owner could replace the Admin API socket"));
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>struct statx (linux/stat.h): the same 256-byte layout on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(20)]
        public uint Uid;
    }
}
