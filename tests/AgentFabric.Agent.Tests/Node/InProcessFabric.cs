using System.Collections;
using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Node;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Server.Config;
using AgentFabric.Server.Federation;
using AgentFabric.Server.Hosting;
using AgentFabric.Spiffe.WorkloadApi;
using AgentFabric.Testing;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Agent.Tests.Node;

/// <summary>
/// The real server (<see cref="ServerHost"/>: Kestrel, TLS, SQLite, disk keys) and the real agent
/// (<see cref="ServerIdentityProvider"/> and <see cref="WorkloadEndpoint"/> on a Unix socket) in this process, on
/// 127.0.0.1, sharing one <see cref="FlowingFakeTime"/>; the server can be stopped and started again on the same port
/// and data dir.
/// </summary>
internal sealed class InProcessFabric : IAsyncDisposable
{
    public const string NodeAlias = "spiffe://example.org/node-recovery";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("af-recovery-");
    private readonly List<string> _logs = [];
    private ServerSettings _settings = null!;

    public FlowingFakeTime Time { get; } = new();

    public ServerHost? Server { get; private set; }

    public ServerIdentityProvider Agent { get; private set; } = null!;

    public WorkloadEndpoint Endpoint { get; private set; } = null!;

    /// <summary>Server and agent log lines (for a failing test's message).</summary>
    public string Logs
    {
        get
        {
            lock (_logs)
            {
                return string.Join('\n', _logs.TakeLast(80));
            }
        }
    }

    /// <summary>Starts the server with <paramref name="agentTtl"/> node SVIDs, attests the agent with a join token
    /// (alias <see cref="NodeAlias"/>) and starts the Workload API.</summary>
    public async Task StartAsync(string agentTtl)
    {
        var json = $$"""
            {
              "trust_domain": "example.org",
              "bind_address": "127.0.0.1",
              "bind_port": {{FreePort()}},
              "socket_path": "{{Path.Combine(_dir.FullName, "srv", "api.sock")}}",
              "data_dir": "{{Path.Combine(_dir.FullName, "sdata")}}",
              "agent_ttl": "{{agentTtl}}",
              "health_checks": { "bind_address": "127.0.0.1", "bind_port": {{FreePort()}} },
              "rate_limit": { "attestation": 100 }
            }
            """;
        _settings = ServerConfigLoader.Load(json, new Hashtable());
        await StartServerAsync();
        var (token, _) = await Server!.Runtime.Registration.CreateJoinTokenAsync(TimeSpan.FromMinutes(10), NodeAlias);
        File.WriteAllBytes(Path.Combine(_dir.FullName, "bundle.pem"), BundleService.CertificatePem(Server.Runtime.Ca.BundleAuthorities));
        await StartAgentAsync(token);
        Endpoint = await WorkloadEndpoint.StartAsync(
            new WorkloadEndpointOptions { SocketPath = Path.Combine(_dir.FullName, "agent", "api.sock"), RotationCheckInterval = TimeSpan.FromMilliseconds(100) },
            Agent,
            [new UnixWorkloadAttestor()],
            Time);
    }

    /// <summary>Starts the node agent on the shared data dir (it resumes with, or re-attests with, a stored SVID).</summary>
    public async Task StartAgentAsync(string? joinToken) =>
        Agent = await ServerIdentityProvider.StartAsync(
            new ServerConnectionOptions
            {
                TrustDomain = TrustDomain.Parse("example.org"),
                ServerAddress = "127.0.0.1",
                ServerPort = _settings.BindPort,
                DataDir = Path.Combine(_dir.FullName, "adata"),
                JoinToken = joinToken,
                TrustBundlePath = Path.Combine(_dir.FullName, "bundle.pem"),
                MaxBackoff = TimeSpan.FromMilliseconds(300),
            },
            new ListLogger(_logs, "agent"),
            Time);

    /// <summary>Stops the node agent (the Workload API stays up, still bound to that provider: only for tests that
    /// look at the node side after a restart).</summary>
    public async Task StopAgentAsync()
    {
        await Endpoint.DisposeAsync();
        Endpoint = null!;
        await Agent.DisposeAsync();
        Agent = null!;
    }

    public async Task StartServerAsync() =>
        Server = await ServerHost.StartAsync(_settings, b => b.AddProvider(new ListLoggerProvider(_logs)), Time);

    public async Task StopServerAsync()
    {
        await Server!.DisposeAsync();
        Server = null;
    }

    /// <summary>An entry for this test process under the node alias.</summary>
    public Task<RegistrationEntry> CreateWorkloadEntryAsync(string spiffeId, int x509SvidTtlSeconds) =>
        Server!.Runtime.Registration.CreateEntryAsync(new RegistrationEntry
        {
            SpiffeId = SpiffeId.Parse(spiffeId),
            ParentId = SpiffeId.Parse(NodeAlias),
            Selectors = [new Selector("unix", "uid:" + SelfProcess.Uid)],
            X509SvidTtl = x509SvidTtlSeconds,
        });

    public WorkloadApiClient Client() => new(new WorkloadApiClientOptions
    {
        Address = Endpoint.Address,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
    });

    /// <summary>Polls <paramref name="condition"/> every 20 ms (real time) until true, or fails with the logs.</summary>
    public async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}; agent LastError: {Agent?.LastError}\n{Logs}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Endpoint is not null)
        {
            await Endpoint.DisposeAsync();
        }

        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }


        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Time.Dispose();
        _dir.Delete(recursive: true);
    }

    private static int FreePort() => LoopbackPorts.Next();

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(List<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}");
            }
        }
    }
}
