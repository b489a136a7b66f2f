namespace AgentFabric.Spiffe.WorkloadApi.Tests;

/// <summary>Workload Endpoint §4 address rules, one vector each.</summary>
public sealed class WorkloadEndpointAddressTests
{
    [Theory]
    [InlineData("unix:///tmp/agent.sock", "/tmp/agent.sock")]
    [InlineData("unix:///run/spire/sockets/api.sock", "/run/spire/sockets/api.sock")]
    public void Unix_Valid(string address, string path)
    {
        var parsed = WorkloadEndpointAddress.Parse(address);
        Assert.True(parsed.IsUnix);
        Assert.Equal(path, parsed.SocketPath);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:8000", "127.0.0.1:8000")]
    [InlineData("tcp://[::1]:8000", "[::1]:8000")]
    public void Tcp_Valid(string address, string endPoint)
    {
        var parsed = WorkloadEndpointAddress.Parse(address);
        Assert.False(parsed.IsUnix);
        Assert.Equal(endPoint, parsed.TcpEndPoint.ToString());
    }

    [Theory]
    [InlineData("", "workloadapi: the endpoint address is empty")]
    [InlineData("agent.sock", "workloadapi: the endpoint address \"agent.sock\" is not a URI")]
    [InlineData("/tmp/agent.sock", "workloadapi: the endpoint address \"/tmp/agent.sock\" must have the scheme \"unix\" or \"tcp\"")]
    [InlineData("http://127.0.0.1:80", "workloadapi: the endpoint address \"http://127.0.0.1:80\" must have the scheme \"unix\" or \"tcp\"")]
    [InlineData("unix://host/tmp/a.sock", "workloadapi: the unix endpoint address \"unix://host/tmp/a.sock\" must not have an authority")]
    [InlineData("unix:tmp/a.sock", "workloadapi: the unix endpoint address \"unix:tmp/a.sock\" must have an absolute path (unix:///path)")]
    [InlineData("unix:///tmp/a.sock?x=1", "workloadapi: the unix endpoint address \"unix:///tmp/a.sock?x=1\" must not have a query")]
    [InlineData("unix:///tmp/a.sock#f", "workloadapi: the unix endpoint address \"unix:///tmp/a.sock#f\" must not have a fragment")]
    [InlineData("unix:///", "workloadapi: the unix endpoint address \"unix:///\" has no socket path")]
    [InlineData("tcp://127.0.0.1:8000/foo", "workloadapi: the tcp endpoint address \"tcp://127.0.0.1:8000/foo\" must not have a path")]
    [InlineData("tcp://127.0.0.1:8000/", "workloadapi: the tcp endpoint address \"tcp://127.0.0.1:8000/\" must not have a path")]
    [InlineData("tcp://localhost:8000", "workloadapi: the tcp endpoint address \"tcp://localhost:8000\" must have an IP address as host")]
    [InlineData("tcp://127.0.0.1", "workloadapi: the tcp endpoint address \"tcp://127.0.0.1\" must have a port")]
    [InlineData("tcp://u@127.0.0.1:8000", "workloadapi: the tcp endpoint address \"tcp://u@127.0.0.1:8000\" must not have user info")]
    [InlineData("tcp://127.0.0.1:8000?x=1", "workloadapi: the tcp endpoint address \"tcp://127.0.0.1:8000?x=1\" must not have a query or fragment")]
    public void Invalid_NamesTheRule(string address, string message)
    {
        var error = Assert.Throws<WorkloadApiException>(() => WorkloadEndpointAddress.Parse(address));
        Assert.Equal(message, error.Message);
        Assert.False(WorkloadEndpointAddress.TryParse(address, out _, out var tryError));
        Assert.Equal(message, tryError);
    }
}
