namespace AgentFabric.Cli.Tests.Api;

/// <summary><c>api fetch jwt</c> failures in-process, worded as spire-agent api words them (<c>error: ...</c>, exit
/// 1). The commands against a running agent are tested in AgentFabric.Agent.Tests.</summary>
public sealed class FetchJwtCommandTests
{
    [Theory]
    [InlineData("error: -audience needs at least one value\n", "-audience", " , ")]
    [InlineData("error: -spiffeID: spiffeid: scheme is missing or invalid (expected \"spiffe://\")\n", "-audience", "db", "-spiffeID", "http://x")]
    public async Task BadFlags_AreOneLineOnStandardError_ExitOne(string error, params string[] args)
    {
        Assert.Equal((1, "", error), await CliRun.InvokeAsync(["api", "fetch", "jwt", .. args]));
    }

    [Fact]
    public async Task AbsentAgent_IsAWorkloadApiError()
    {
        var socket = Path.Combine(Path.GetTempPath(), "af-absent-" + Guid.NewGuid().ToString("N")[..8] + ".sock");

        var result = await CliRun.InvokeAsync("api", "fetch", "jwt", "-audience", "db", "-socketPath", socket, "-timeout", "00:00:05");

        Assert.Equal((1, ""), (result.Exit, result.Out));
        Assert.StartsWith("error: ", result.Err, StringComparison.Ordinal);
    }
}
