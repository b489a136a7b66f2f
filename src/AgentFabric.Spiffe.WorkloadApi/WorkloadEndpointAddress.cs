using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// Where the SPIFFE Workload Endpoint listens (Workload Endpoint §4): <c>unix:///absolute/path</c> or
/// <c>tcp://ip:port</c>, read from configuration or from <c>SPIFFE_ENDPOINT_SOCKET</c>.
/// </summary>
public sealed class WorkloadEndpointAddress
{
    /// <summary>The well-known variable a client falls back to when not configured (Workload Endpoint §4).</summary>
    public const string EnvironmentVariable = "SPIFFE_ENDPOINT_SOCKET";

    private WorkloadEndpointAddress(string original, string? socketPath, IPEndPoint? tcpEndPoint)
    {
        Original = original;
        SocketPath = socketPath;
        TcpEndPoint = tcpEndPoint;
    }

    /// <summary>The address as given.</summary>
    public string Original { get; }

    /// <summary>The Unix domain socket path, for a <c>unix</c> address.</summary>
    public string? SocketPath { get; }

    /// <summary>The IP end point, for a <c>tcp</c> address.</summary>
    public IPEndPoint? TcpEndPoint { get; }

    /// <summary>True for a Unix domain socket address.</summary>
    [MemberNotNullWhen(true, nameof(SocketPath))]
    [MemberNotNullWhen(false, nameof(TcpEndPoint))]
    public bool IsUnix => SocketPath is not null;

    /// <summary>Parses an endpoint URI.</summary>
    /// <exception cref="WorkloadApiException">The URI breaks a rule of Workload Endpoint §4; the message names it.</exception>
    public static WorkloadEndpointAddress Parse(string address) =>
        TryParse(address, out var parsed, out var error) ? parsed : throw new WorkloadApiException(error);

    /// <summary>Parses like <see cref="Parse"/>; on failure <paramref name="error"/> names the broken rule.</summary>
    public static bool TryParse(
        string? address,
        [NotNullWhen(true)] out WorkloadEndpointAddress? parsed,
        [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (string.IsNullOrEmpty(address))
        {
            error = "workloadapi: the endpoint address is empty";
            return false;
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            error = $"workloadapi: the endpoint address \"{address}\" is not a URI";
            return false;
        }

        // Workload Endpoint §4: the scheme is unix or tcp.
        if (uri.Scheme == "unix")
        {
            return TryParseUnix(address, uri, out parsed, out error);
        }

        if (uri.Scheme == "tcp")
        {
            return TryParseTcp(address, uri, out parsed, out error);
        }

        error = $"workloadapi: the endpoint address \"{address}\" must have the scheme \"unix\" or \"tcp\"";
        return false;
    }

    /// <summary>The address in <c>SPIFFE_ENDPOINT_SOCKET</c>.</summary>
    /// <exception cref="WorkloadApiException">The variable is unset or holds an invalid address.</exception>
    public static WorkloadEndpointAddress FromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(value))
        {
            throw new WorkloadApiException(
                $"workloadapi: no endpoint address configured and {EnvironmentVariable} is not set");
        }

        return Parse(value);
    }

    /// <inheritdoc/>
    public override string ToString() => Original;

    private static bool TryParseUnix(
        string address,
        Uri uri,
        [NotNullWhen(true)] out WorkloadEndpointAddress? parsed,
        [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        // Workload Endpoint §4: for unix the authority MUST NOT be set; only scheme and path.
        string afterScheme = address["unix:".Length..];
        if (!afterScheme.StartsWith("///", StringComparison.Ordinal))
        {
            error = afterScheme.StartsWith("//", StringComparison.Ordinal)
                ? $"workloadapi: the unix endpoint address \"{address}\" must not have an authority"
                : $"workloadapi: the unix endpoint address \"{address}\" must have an absolute path (unix:///path)";
            return false;
        }

        if (!string.IsNullOrEmpty(uri.Query) || address.Contains('?', StringComparison.Ordinal))
        {
            error = $"workloadapi: the unix endpoint address \"{address}\" must not have a query";
            return false;
        }

        if (!string.IsNullOrEmpty(uri.Fragment) || address.Contains('#', StringComparison.Ordinal))
        {
            error = $"workloadapi: the unix endpoint address \"{address}\" must not have a fragment";
            return false;
        }

        string path = Uri.UnescapeDataString(afterScheme[2..]);
        if (path == "/")
        {
            error = $"workloadapi: the unix endpoint address \"{address}\" has no socket path";
            return false;
        }

        parsed = new WorkloadEndpointAddress(address, path, null);
        error = null;
        return true;
    }

    private static bool TryParseTcp(
        string address,
        Uri uri,
        [NotNullWhen(true)] out WorkloadEndpointAddress? parsed,
        [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        // Workload Endpoint §4: scheme, IP host and port are mandatory; no other component may be set.
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            error = $"workloadapi: the tcp endpoint address \"{address}\" must not have user info";
            return false;
        }

        if (uri.AbsolutePath != "/" || address.EndsWith('/'))
        {
            error = $"workloadapi: the tcp endpoint address \"{address}\" must not have a path";
            return false;
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            error = $"workloadapi: the tcp endpoint address \"{address}\" must not have a query or fragment";
            return false;
        }

        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) ||
            !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip))
        {
            error = $"workloadapi: the tcp endpoint address \"{address}\" must have an IP address as host";
            return false;
        }

        if (uri.IsDefaultPort || uri.Port <= 0)
        {
            error = $"workloadapi: the tcp endpoint address \"{address}\" must have a port";
            return false;
        }

        parsed = new WorkloadEndpointAddress(address, null, new IPEndPoint(ip, uri.Port));
        error = null;
        return true;
    }
}
