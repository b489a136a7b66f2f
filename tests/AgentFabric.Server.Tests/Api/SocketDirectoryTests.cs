using System.Diagnostics;
using AgentFabric.Server.Config;
using AgentFabric.Server.Hosting;

namespace AgentFabric.Server.Tests.Api;

/// <summary>The Admin API socket's directory: owned by the server's user and writable by no one else, or the
/// server refuses to start; a missing one is created 0700.</summary>
public class SocketDirectoryTests
{
    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute, "0777")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, "0775")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute, "0703")]
    public void WritableByGroupOrOthers_Refused(UnixFileMode mode, string octal)
    {
        using var dir = new TempDirectory();
        var sock = dir.Combine("sock");
        Directory.CreateDirectory(sock);
        File.SetUnixFileMode(sock, mode);

        var e = Assert.Throws<ServerConfigException>(() => SocketDirectory.Prepare(Path.Combine(sock, "api.sock")));

        Assert.Equal(
            $"config: the directory of socket_path \"{sock}\" is writable by its group or others (mode {octal}); refusing to start: another user could replace the Admin API socket. Make it writable by the server's user only (chmod 0700)",
            e.Message);
    }

    [Fact]
    public void OwnedByAnotherUser_Refused()
    {
        using var dir = new TempDirectory();
        var sock = dir.Combine("sock");
        Directory.CreateDirectory(sock, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var me = Id("-u");
        if (me != "0")
        {
            return; // Only root can give a directory away; as another user the case cannot be set up.
        }

        using (var chown = Process.Start("chown", ["65534", sock]))
        {
            chown.WaitForExit();
        }

        var e = Assert.Throws<ServerConfigException>(() => SocketDirectory.Prepare(Path.Combine(sock, "api.sock")));

        Assert.Equal(
            $"config: the directory of socket_path \"{sock}\" is owned by uid 65534, not by the server's user (uid 0); refusing to start: its owner could replace the Admin API socket",
            e.Message);
    }

    [Theory]
    [InlineData("private/api.sock")]
    [InlineData("agentfabric-server/private/api.sock")]
    public void MissingDirectory_Created0700(string relative)
    {
        using var dir = new TempDirectory();

        SocketDirectory.Prepare(dir.Combine(relative));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(dir.Combine(relative))!));
    }

    [Fact]
    public void OwnPrivateDirectory_Accepted()
    {
        using var dir = new TempDirectory();
        var sock = dir.Combine("sock");
        Directory.CreateDirectory(sock, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        SocketDirectory.Prepare(Path.Combine(sock, "api.sock"));

        Assert.True(Directory.Exists(sock));
    }

    private static string Id(string flag)
    {
        using var process = Process.Start(new ProcessStartInfo("id", flag) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
