using System.Collections;
using AgentFabric.Server.Api;
using AgentFabric.Server.Config;
using AgentFabric.Server.Hosting;
using AgentFabric.Server.Registration;
using AgentFabric.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Grpc.Net.Client;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Benchmarks;

/// <summary>
/// Entries created per second over the Admin API (Unix socket, a real server on SQLite, a fresh data dir each
/// iteration): 100,000 entries with BatchCreateEntry (10 requests of 10,000, as <c>entry create -data</c> sends them)
/// against the baseline of CreateEntry one call at a time (1,000 entries; the per-call cost does not depend on the
/// count). Both report time per entry (OperationsPerInvoke), so the ratio is the speed-up and 1 s / mean is entries/s.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class BatchCreateBenchmarks
{
    private const int BatchEntries = 100_000;
    private const int OneByOneEntries = 1_000;

    private V1.Entry[] _entries = null!;
    private string _dir = null!;
    private ServerHost _host = null!;
    private GrpcChannel _channel = null!;
    private V1.AdminService.AdminServiceClient _admin = null!;

    [GlobalSetup]
    public void Setup() => _entries = EntryScale.Tree(BatchEntries, nodes: 100).Select(e =>
    {
        var wire = new V1.Entry { Id = e.EntryId, SpiffeId = e.SpiffeId.ToString(), ParentId = e.ParentId.ToString() };
        wire.Selectors.AddRange(e.Selectors.Select(s => new V1.Selector { Type = s.Type, Value = s.Value }));
        return wire;
    }).ToArray();

    [IterationSetup]
    public void StartServer()
    {
        _dir = Directory.CreateTempSubdirectory("afs-batch").FullName;
        var json = $$"""
            {
              "trust_domain": "bench.example",
              "bind_address": "127.0.0.1",
              "bind_port": {{LoopbackPorts.Next()}},
              "socket_path": "{{Path.Combine(_dir, "api.sock")}}",
              "data_dir": "{{Path.Combine(_dir, "data")}}",
              "health_checks": { "listener_enabled": false }
            }
            """;
        var settings = ServerConfigLoader.Load(json, new Hashtable());
        _host = ServerHost.StartAsync(settings, _ => { }).GetAwaiter().GetResult();
        _channel = AdminChannel.Create(settings.SocketPath);
        _admin = AdminChannel.Client(_channel);
    }

    [IterationCleanup]
    public void StopServer()
    {
        _channel.Dispose();
        _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = OneByOneEntries, Description = "CreateEntry, one call per entry (per entry)")]
    public async Task OneAtATime()
    {
        for (var i = 0; i < OneByOneEntries; i++)
        {
            await _admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = _entries[i] });
        }
    }

    [Benchmark(OperationsPerInvoke = BatchEntries, Description = "BatchCreateEntry, 100,000 in requests of 10,000 (per entry)")]
    public async Task Batch()
    {
        for (var start = 0; start < _entries.Length; start += RegistrationService.MaxBatchEntries)
        {
            var request = new V1.BatchCreateEntryRequest();
            request.Entries.AddRange(_entries.Skip(start).Take(RegistrationService.MaxBatchEntries));
            var response = await _admin.BatchCreateEntryAsync(request);
            if (response.Results.FirstOrDefault(r => r.Status.Code != 0) is { } failed)
            {
                throw new InvalidOperationException("benchmark: an entry was refused: " + failed.Status.Message);
            }
        }
    }
}
