using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AgentFabric.Cli;
using AgentFabric.Cli.Up;
using AgentFabric.Testing;

namespace AgentFabric.Up.Tests;

/// <summary>What <c>up</c>, <c>status</c> and <c>down</c> refuse, and how they say it (in-process: the real command
/// tree with string writers).</summary>
public sealed class UpRefusalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("af-up-bad-").FullName;

    private string State => Path.Combine(_dir, "state");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Up_StateDirNotWritable()
    {
        var file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "");
        var (exit, output, error) = await InvokeAsync("up", "--dir", Path.Combine(file, "state"));
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: state directory {file}/state is not writable: Could not find a part of the path '{file}/state'.\n", error);
    }

    [Fact]
    public async Task Up_PortTaken()
    {
        Directory.CreateDirectory(State);
        using var taken = new TcpListener(IPAddress.Loopback, LoopbackPorts.Next());
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        File.WriteAllText(Path.Combine(State, "fabric.json"), string.Create(CultureInfo.InvariantCulture,
            $$"""{ "trust_domain": "example.org", "ports": { "server": {{port}} } }"""));
        var (exit, _, error) = await InvokeAsync("up", "--dir", State);
        Assert.Equal(1, exit);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture,
            $"error: port {port} (server) on 127.0.0.1 is taken (AddressAlreadyInUse): stop what listens on it, or change \"ports\".\"server\" in {State}/fabric.json\n"), error);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("5")]
    public async Task Up_SvidTtlOutOfRange(string ttl)
    {
        var (exit, output, error) = await InvokeAsync("up", "--dir", State, "--svid-ttl", ttl);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: --svid-ttl must be 0 (the server's default) or at least 10 seconds, got {ttl}\n", error);
        Assert.False(Directory.Exists(State)); // refused before anything is created
    }

    [Theory]
    [InlineData("not json", "'not json' is an invalid JSON literal. Expected the literal 'null'. Path: $ | LineNumber: 0 | BytePositionInLine: 1.")]
    [InlineData("""{"pid": 1}""", "The JSON property 'pid' could not be mapped to any .NET member contained in type 'AgentFabric.Cli.Up.FabricState'.")]
    public async Task CorruptStateFile(string text, string reason)
    {
        Directory.CreateDirectory(State);
        File.WriteAllText(Path.Combine(State, "state.json"), text);
        var expected = $"error: {State}/state.json is not a state file written by agentfabric up ({reason}); stop any agentfabric processes it started, then delete it\n";
        foreach (var command in new[] { "up", "status", "down" })
        {
            var (exit, _, error) = await InvokeAsync(command, "--dir", State);
            Assert.Equal(1, exit);
            Assert.Equal(expected, error);
        }
    }

    [Theory]
    [InlineData("""{ "trust_domain": "Not A Domain", "ports": {} }""", "\"trust_domain\" must be a trust domain name such as example.org")]
    [InlineData("""{ "trust_domain": "example.org", "ports": { "server": 70000 } }""", "\"ports.server\" must be a port number (1-65535)")]
    [InlineData("""{ "trust_domain": "example.org" }""", "\"ports\" must be an object of name: port")]
    [InlineData("[]", "want a JSON object")]
    public async Task CorruptLayoutFile(string text, string reason)
    {
        Directory.CreateDirectory(State);
        File.WriteAllText(Path.Combine(State, "fabric.json"), text);
        var (exit, _, error) = await InvokeAsync("up", "--dir", State);
        Assert.Equal(1, exit);
        Assert.Equal($"error: {State}/fabric.json is not a layout written by agentfabric up: {reason}; fix it, or delete it to pick new ports\n", error);
    }

    [Fact]
    public async Task Up_RefusesBesideARunningUp()
    {
        var self = ProcessIdentity.Current;
        WriteState(self, []);
        var (exit, _, error) = await InvokeAsync("up", "--dir", State);
        Assert.Equal(1, exit);
        Assert.Equal($"error: agentfabric up is already running for {State} (pid {self.Pid}); see `agentfabric status`, or stop it with `agentfabric down`\n", error);
    }

    [Fact]
    public async Task NothingRunning()
    {
        Assert.Equal((1, "", $"error: agentfabric up is not running in {State} (no state file)\n"), await InvokeAsync("status", "--dir", State));
        Assert.Equal((0, $"agentfabric up is not running in {State}\n", ""), await InvokeAsync("down", "--dir", State));
    }

    [Fact]
    public async Task Down_AfterUpWasKilled_StopsTheChildrenItLeft()
    {
        // A dead "up" (a pid that exited) and a live child it recorded.
        using var gone = Process.Start("true")!;
        await gone.WaitForExitAsync();
        using var orphan = Process.Start("sleep", "600")!;
        var child = ProcessIdentity.TryRead(orphan.Id)!.Value;
        WriteState(new ProcessIdentity(gone.Id, 1), [new RecordedChild("server", new RecordedProcess(child.Pid, child.StartTime), DateTimeOffset.UnixEpoch)]);

        var (exit, output, error) = await InvokeAsync("down", "--dir", State);
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Equal($"agentfabric up (pid {gone.Id}) is not running (it was killed).\nStopped what it left running: server (pid {child.Pid})\n", output);
        Assert.True(orphan.WaitForExit(10_000));
        Assert.False(File.Exists(Path.Combine(State, "state.json")));
    }

    [Fact]
    public async Task Down_NeverSignalsAPidWhoseStartTimeChanged()
    {
        using var stranger = Process.Start("sleep", "600")!;
        try
        {
            var real = ProcessIdentity.TryRead(stranger.Id)!.Value;
            WriteState(new ProcessIdentity(int.MaxValue - 1, 1), [new RecordedChild("server", new RecordedProcess(real.Pid, real.StartTime + 1), DateTimeOffset.UnixEpoch)]);
            var (exit, output, _) = await InvokeAsync("down", "--dir", State);
            Assert.Equal(0, exit);
            Assert.Equal($"agentfabric up (pid {int.MaxValue - 1}) is not running (it was killed).\n", output);
            Assert.False(stranger.HasExited);
        }
        finally
        {
            stranger.Kill();
        }
    }

    private void WriteState(ProcessIdentity up, RecordedChild[] children)
    {
        var dir = new FabricDirectory(State);
        dir.Create();
        new FabricState { Up = new RecordedProcess(up.Pid, up.StartTime), StartedAt = DateTimeOffset.UnixEpoch, Children = children }.Save(dir);
    }

    private static async Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Program.CreateRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }
}
