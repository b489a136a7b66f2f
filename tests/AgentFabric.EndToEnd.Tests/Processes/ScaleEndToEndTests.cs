using System.Diagnostics;
using System.Globalization;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Server.Api;
using AgentFabric.Spiffe.WorkloadApi;
using Grpc.Core;
using Xunit.Abstractions;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.EndToEnd.Tests.Processes;

/// <summary>
/// Issue 13's scalability figure: while 30,000 entries for the agent's node are created with BatchCreateEntry (three
/// requests of 10,000, the server's limit), the test process waits on the Workload API for its own entry, created
/// last, and gets its SVID. Printed: entries/s over the Admin API, and the time from the last batch's response to the
/// SVID on the workload's stream (goal: at most 1 s).
/// </summary>
[Collection(FabricProcesses.Collection)]
public sealed class ScaleEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Total = 30_000;
    private const int PerRequest = 10_000;

    private readonly FabricProcesses _fabric = new();

    public Task InitializeAsync() => _fabric.InitializeAsync();

    public Task DisposeAsync() => _fabric.DisposeAsync();

    private static V1.Entry Entry(string path, int uid)
    {
        var entry = new V1.Entry { SpiffeId = "spiffe://example.org/scale/" + path, ParentId = FabricProcesses.NodeId };
        entry.Selectors.Add(new V1.Selector { Type = "unix", Value = "uid:" + uid.ToString(CultureInfo.InvariantCulture) });
        return entry;
    }

    [Fact]
    public async Task ThirtyThousandEntries_TheWorkloadsOwnEntryCreatedLast_ReachesItsStream()
    {
        var uid = SelfProcess.Uid;
        var otherUid = uid + 1;
        var requests = Enumerable.Range(0, Total / PerRequest).Select(r =>
        {
            var request = new V1.BatchCreateEntryRequest();
            request.Entries.AddRange(Enumerable.Range(r * PerRequest, PerRequest).Select(i => Entry("e" + i.ToString(CultureInfo.InvariantCulture), otherUid)));
            return request;
        }).ToList();
        requests[^1].Entries[^1] = Entry("workload", uid);

        using var client = new WorkloadApiClient(new WorkloadApiClientOptions
        {
            Address = "unix://" + _fabric.AgentSocket,
            InitialBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(50),
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var received = new TaskCompletionSource<(X509Context Context, long At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = client.WatchX509ContextAsync(c => received.TrySetResult((c, Stopwatch.GetTimestamp())), _ => { }, cts.Token);

        using var channel = AdminChannel.Create(_fabric.AdminSocket);
        var admin = AdminChannel.Client(channel);
        var started = Stopwatch.GetTimestamp();
        var created = 0;
        var perRequest = new List<string>();
        foreach (var request in requests)
        {
            var sent = Stopwatch.GetTimestamp();
            var response = await admin.BatchCreateEntryAsync(request, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cts.Token);
            perRequest.Add(Stopwatch.GetElapsedTime(sent).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s");
            created += response.Results.Count(r => r.Status.Code == (int)StatusCode.OK);
        }

        var batchesDone = Stopwatch.GetTimestamp();
        Assert.Equal(Total, created);

        var (context, at) = await received.Task.WaitAsync(cts.Token);
        var creation = Stopwatch.GetElapsedTime(started, batchesDone);
        var afterBatch = at > batchesDone ? Stopwatch.GetElapsedTime(batchesDone, at) : TimeSpan.Zero;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"created {Total} entries in {creation.TotalSeconds:F2} s (requests of {PerRequest}: {string.Join(", ", perRequest)}; {Total / creation.TotalSeconds:F0} entries/s over BatchCreateEntry); the workload's SVID arrived {afterBatch.TotalMilliseconds:F0} ms after the last batch's response ({Stopwatch.GetElapsedTime(started, at).TotalSeconds:F2} s after the first request)"));

        Assert.Equal("spiffe://example.org/scale/workload", context.DefaultSvid.Id.ToString());
        // The goal is 1 s; the bound leaves room for a scheduling stall on 2 shared cores (see the README's figure).
        Assert.True(afterBatch < TimeSpan.FromSeconds(3), $"the SVID arrived {afterBatch.TotalMilliseconds:F0} ms after the last batch");

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
    }
}
