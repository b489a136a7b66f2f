using System.Globalization;

namespace AgentFabric.Agent.Attestation;

/// <summary>User and group names from passwd(5)/group(5) files, for the <c>unix:user</c> and <c>unix:group</c>
/// selectors. Re-read on each lookup so that accounts added after start are found.</summary>
public sealed class UserDirectory(string passwdPath = "/etc/passwd", string groupPath = "/etc/group")
{
    /// <summary>The name of user <paramref name="uid"/>, or null when the file has none.</summary>
    public string? UserName(int uid) => Lookup(passwdPath, uid);

    /// <summary>The name of group <paramref name="gid"/>, or null when the file has none.</summary>
    public string? GroupName(int gid) => Lookup(groupPath, gid);

    private static string? Lookup(string path, int id)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string wanted = id.ToString(CultureInfo.InvariantCulture);
        foreach (var line in lines)
        {
            // name:password:id:...
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[2] == wanted && fields[0].Length > 0)
            {
                return fields[0];
            }
        }

        return null;
    }
}
