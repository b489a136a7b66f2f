using System.Collections.Concurrent;
using AgentFabric.Authorization.Bundles;
using AgentFabric.Authorization.DecisionLogs;
using AgentFabric.PolicyServer.Hosting;
using AgentFabric.PolicyServer.Observability;
using AgentFabric.Rego;
using Microsoft.Extensions.Logging;

namespace AgentFabric.PolicyServer.State;

/// <summary>What the REST API serves from: one engine, one <see cref="BundleActivator"/> (bundles plus the
/// API-written policies and data, swapped atomically), the decision logger when configured, metrics and the bundle
/// status OPA's <c>/v1/status</c> reports. Starts the configured bundles' loading and polling.</summary>
public sealed class PolicyServerRuntime : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSuccess = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pollers = [];
    private readonly HttpClient? _http;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private int _disposed;

    /// <summary>A runtime for <paramref name="options"/>; nothing is loaded until <see cref="StartAsync"/>.</summary>
    public PolicyServerRuntime(PolicyServerOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggers = null, TextWriter? console = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Time = timeProvider ?? TimeProvider.System;
        _loggers = loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        _log = _loggers.CreateLogger<PolicyServerRuntime>();
        Engine = new RegoEngine(new RegoEngineOptions { TimeProvider = Time });
        Activator = new BundleActivator(Engine, Time, _loggers.CreateLogger<BundleActivator>());
        Activator.Activation += (_, e) =>
        {
            Metrics.RecordActivation(e.Succeeded);
            if (e.Succeeded)
            {
                _lastSuccess[e.Bundle] = e.Timestamp;
            }
        };
        if (options.BundleUrls.Count > 0 || options.DecisionLogUrl is not null)
        {
            _http = new HttpClient();
        }

        if (options.DecisionLogsEnabled)
        {
            var sinks = new List<IDecisionLogSink>();
            if (options.DecisionLogFile is { } file)
            {
                sinks.Add(new FileDecisionLogSink(file));
            }

            if (options.DecisionLogUrl is { } url)
            {
                sinks.Add(new HttpDecisionLogSink(_http!, url, timeProvider: Time));
            }

            if (options.DecisionLogConsole)
            {
                sinks.Add(new ConsoleDecisionLogSink(console ?? Console.Out));
            }

            DecisionLogger = new DecisionLogger(sinks, new DecisionLogMasker(Activator.Store), new DecisionLoggerOptions
            {
                Labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = InstanceId, ["version"] = Version },
            }, _loggers.CreateLogger<DecisionLogger>(), Time);
            var logger = DecisionLogger;
            Metrics.DroppedDecisionLogs = () => logger.DroppedEvents;
        }
    }

    /// <summary>The version reported in status, provenance and decision-log labels.</summary>
    public static string Version { get; } = typeof(PolicyServerRuntime).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>This process's id (OPA's <c>labels.id</c>).</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString();

    /// <summary>The options.</summary>
    public PolicyServerOptions Options { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The Rego engine.</summary>
    public RegoEngine Engine { get; }

    /// <summary>Bundles and API-written documents.</summary>
    public BundleActivator Activator { get; }

    /// <summary>The decision logger, when a sink is configured.</summary>
    public DecisionLogger? DecisionLogger { get; }

    internal PolicyServerMetrics Metrics { get; } = new();

    /// <summary>The names of the configured bundles.</summary>
    public IReadOnlyList<string> ConfiguredBundles =>
        Options.BundlePaths.Select(PolicyServerOptions.BundleName).Concat(Options.BundleUrls.Select(u => PolicyServerOptions.BundleName(u.AbsolutePath))).ToArray();

    /// <summary>When each bundle was last activated successfully.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastSuccessfulActivation => _lastSuccess;

    /// <summary>Whether every configured bundle has been activated once (OPA's <c>/health?bundles</c>).</summary>
    public bool BundlesReady => Activator.AreActive(ConfiguredBundles);

    /// <summary>Activates the file bundles and starts polling the HTTP ones (in the background).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        foreach (var path in Options.BundlePaths)
        {
            var name = PolicyServerOptions.BundleName(path);
            var e = Activator.Activate(name, () => PolicyBundle.LoadPath(name, path, Options.BundleLoad));
            if (!e.Succeeded)
            {
                PolicyServerLog.BundleNotActivated(_log, name, e.Error!.Message);
            }
        }

        foreach (var url in Options.BundleUrls)
        {
            var poller = new HttpBundlePoller(_http!, url, PolicyServerOptions.BundleName(url.AbsolutePath), Activator,
                Options.BundlePolling with { Load = Options.BundleLoad }, Time, _loggers.CreateLogger<HttpBundlePoller>());
            _pollers.Add(Task.Run(() => poller.RunAsync(_stop.Token), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops polling and flushes the decision logs (at most 5 s).</summary>
    public async ValueTask DisposeAsync()
    {
        // The host stops the runtime, then its container disposes it again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_pollers).ConfigureAwait(false);
        if (DecisionLogger is not null)
        {
            await DecisionLogger.FlushAndStopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await DecisionLogger.DisposeAsync().ConfigureAwait(false);
        }

        _http?.Dispose();
        _stop.Dispose();
    }
}
