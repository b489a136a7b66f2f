using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentFabric.Cli.Up;

/// <summary>
/// The person who signs in to the sample (<c>demo-user.json</c>, 0600: <c>{"username":"demo","password":"..."}</c>).
/// The first <c>up</c> generates the password; every later one reads it, so the login it printed stays true. The
/// file is the truth: the edge's user is made to match it (<see cref="FabricEdge"/>).
/// </summary>
internal sealed record DemoUser(
    [property: JsonPropertyName("username")] string UserName,
    [property: JsonPropertyName("password")] string Password)
{
    public const string DefaultUserName = "demo";

    // Letters and digits without look-alikes (0/O, 1/l/I): read off a terminal and typed into a login form.
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    // 20 characters of 56: about 116 bits, beyond guessing even without the edge's lockout.
    private const int PasswordLength = 20;

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Reads the demo user's file, or writes a new one (a fresh random password) when there is none.</summary>
    /// <exception cref="FabricStateException">The file is not one this command wrote.</exception>
    public static DemoUser LoadOrCreate(FabricDirectory dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (File.Exists(dir.DemoUserFile))
        {
            return Parse(dir.DemoUserFile, File.ReadAllText(dir.DemoUserFile));
        }

        var user = new DemoUser(DefaultUserName, RandomNumberGenerator.GetString(Alphabet, PasswordLength));
        FabricDirectory.WriteAtomically(dir.DemoUserFile, JsonSerializer.Serialize(user, s_json) + "\n");
        return user;
    }

    /// <summary>Parses the file's text; <paramref name="path"/> only names it in errors.</summary>
    /// <exception cref="FabricStateException">Not JSON, or not a user name and a password.</exception>
    public static DemoUser Parse(string path, string json)
    {
        DemoUser? user;
        try
        {
            user = JsonSerializer.Deserialize<DemoUser>(json, s_json);
        }
        catch (JsonException e)
        {
            throw Corrupt(path, e.Message, e);
        }

        if (user is null || string.IsNullOrWhiteSpace(user.UserName) || string.IsNullOrEmpty(user.Password))
        {
            throw Corrupt(path, "want {\"username\": a non-empty name, \"password\": a non-empty password}", null);
        }

        return user;
    }

    /// <summary>Never the password: a record's generated text would print it into a log.</summary>
    public override string ToString() => UserName;

    private static FabricStateException Corrupt(string path, string reason, Exception? inner)
    {
        var message = $"{path} is not the demo user written by agentfabric up ({reason}); fix it, or delete it to get a new password";
        return inner is null ? new(message) : new(message, inner);
    }
}
