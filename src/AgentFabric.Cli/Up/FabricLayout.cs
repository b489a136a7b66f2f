using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFabric.Cli.Up;

/// <summary>
/// What the first <c>up</c> chose and every later one reuses (<c>fabric.json</c>): the trust domain and one
/// 127.0.0.1 port per listener. Reusing them keeps the URLs a user bookmarked, and the server's address the agent's
/// stored SVID was issued for. A port the file does not name yet (a child added later) is picked and saved.
/// </summary>
internal sealed class FabricLayout
{
    public const string DefaultTrustDomain = "example.org";

    // Below Linux's default ephemeral range (32768-60999), where an outgoing connection could take a port between
    // our pick and the child's bind.
    private const int FirstPort = 20000;
    private const int PortCount = 12000;

    private readonly SortedDictionary<string, int> _ports;

    private FabricLayout(string trustDomain, SortedDictionary<string, int> ports)
    {
        TrustDomain = trustDomain;
        _ports = ports;
    }

    public string TrustDomain { get; }

    public IReadOnlyDictionary<string, int> Ports => _ports;

    /// <summary>The port recorded for <paramref name="name"/>.</summary>
    public int Port(string name) => _ports.TryGetValue(name, out var port) ? port : throw new ArgumentException($"no port named {name}", nameof(name));

    /// <summary>Reads <c>fabric.json</c>, or starts a new layout when there is none; ports missing from it are picked
    /// (free now on 127.0.0.1) and the file is written back when anything was added.</summary>
    /// <exception cref="FabricStateException">The file is not a layout this command wrote.</exception>
    public static FabricLayout LoadOrCreate(FabricDirectory dir, IEnumerable<string> portNames)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var layout = File.Exists(dir.LayoutFile) ? Parse(dir.LayoutFile, File.ReadAllText(dir.LayoutFile)) : new FabricLayout(DefaultTrustDomain, new(StringComparer.Ordinal));
        var added = false;
        foreach (var name in portNames)
        {
            if (!layout._ports.ContainsKey(name))
            {
                layout._ports[name] = PickFreePort(layout._ports.Values);
                added = true;
            }
        }

        if (added || !File.Exists(dir.LayoutFile))
        {
            FabricDirectory.WriteAtomically(dir.LayoutFile, layout.ToJson());
        }

        return layout;
    }

    /// <summary>Parses a layout file's text; <paramref name="path"/> only names it in errors.</summary>
    /// <exception cref="FabricStateException">Not JSON, or not the layout's shape.</exception>
    public static FabricLayout Parse(string path, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw Corrupt(path, "want a JSON object");
        }
        catch (JsonException e)
        {
            throw Corrupt(path, e.Message);
        }

        if (root["trust_domain"] is not JsonValue td || !td.TryGetValue(out string? trustDomain) || !AgentFabric.Spiffe.TrustDomain.TryParse(trustDomain, out _))
        {
            throw Corrupt(path, "\"trust_domain\" must be a trust domain name such as example.org");
        }

        var ports = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (root["ports"] is not JsonObject portObject)
        {
            throw Corrupt(path, "\"ports\" must be an object of name: port");
        }

        foreach (var (name, value) in portObject)
        {
            if (value is not JsonValue v || !v.TryGetValue(out int port) || port is < 1 or > 65535)
            {
                throw Corrupt(path, $"\"ports.{name}\" must be a port number (1-65535)");
            }

            ports[name] = port;
        }

        return new FabricLayout(trustDomain, ports);
    }

    public string ToJson()
    {
        var ports = new JsonObject();
        foreach (var (name, port) in _ports)
        {
            ports[name] = port;
        }

        return new JsonObject { ["trust_domain"] = TrustDomain, ["ports"] = ports }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Fails when one of the named ports cannot be bound on 127.0.0.1 right now.</summary>
    /// <exception cref="FabricStateException">A port is taken; the message names it and the file to change.</exception>
    public void CheckFree(FabricDirectory dir, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(dir);
        foreach (var name in names)
        {
            var port = Port(name);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
            }
            catch (SocketException e)
            {
                throw new FabricStateException(string.Create(CultureInfo.InvariantCulture,
                    $"port {port} ({name}) on 127.0.0.1 is taken ({e.SocketErrorCode}): stop what listens on it, or change \"ports\".\"{name}\" in {dir.LayoutFile}"), e);
            }
        }
    }

    private static int PickFreePort(IEnumerable<int> taken)
    {
        var used = taken.ToHashSet();
        var start = Random.Shared.Next(PortCount);
        for (var i = 0; i < PortCount; i++)
        {
            var port = FirstPort + ((start + i) % PortCount);
            if (used.Contains(port))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by another process: try the next.
            }
        }

        throw new FabricStateException(string.Create(CultureInfo.InvariantCulture, $"no free port on 127.0.0.1 in {FirstPort}-{FirstPort + PortCount - 1}"));
    }

    private static FabricStateException Corrupt(string path, string reason) =>
        new($"{path} is not a layout written by agentfabric up: {reason}; fix it, or delete it to pick new ports");
}
