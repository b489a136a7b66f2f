using AgentFabric.Rego;
using AgentFabric.Rego.Values;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentFabric.Authorization.Bundles;

/// <summary>Activates bundles atomically through one <see cref="PolicyStore"/>: the new bundle is compiled together
/// with the other active bundles (whose roots it must not overlap, OPA docs "Multiple Sources of Policy and Data")
/// and swapped in whole; a bundle that is refused for any reason changes nothing, and the last good one keeps
/// serving. Every attempt raises <see cref="Activation"/>.</summary>
public sealed partial class BundleActivator : IBundleRevisions
{
    private readonly RegoEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Dictionary<string, PolicyBundle> _active = new(StringComparer.Ordinal);
    private Dictionary<string, BundleActivationEvent> _status = new(StringComparer.Ordinal);

    /// <summary>An activator whose store starts empty (every rule undefined).</summary>
    public BundleActivator(RegoEngine engine, TimeProvider? timeProvider = null, ILogger<BundleActivator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Store = new PolicyStore(engine, engine.Compile(Array.Empty<RegoModuleSource>()));
    }

    /// <summary>Raised after every activation attempt, successful or not.</summary>
    public event EventHandler<BundleActivationEvent>? Activation;

    /// <summary>The store decisions are made against.</summary>
    public PolicyStore Store { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Revisions
    {
        get
        {
            lock (_lock)
            {
                return _active.ToDictionary(b => b.Key, b => b.Value.Manifest.Revision, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The last attempt per bundle name.</summary>
    public IReadOnlyDictionary<string, BundleActivationEvent> Status
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, BundleActivationEvent>(_status, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Whether every bundle in <paramref name="names"/> has been activated at least once (OPA's
    /// <c>/health?bundles</c>).</summary>
    public bool AreActive(IEnumerable<string> names)
    {
        lock (_lock)
        {
            return names.All(_active.ContainsKey);
        }
    }

    /// <summary>Makes <paramref name="bundle"/> active in place of the bundle of the same name; never throws for a bad
    /// bundle: the returned event carries the refusal.</summary>
    public BundleActivationEvent Activate(PolicyBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        lock (_lock)
        {
            try
            {
                foreach (var (name, other) in _active)
                {
                    if (name != bundle.Name && bundle.Manifest.Overlaps(other.Manifest, out var mine, out var theirs))
                    {
                        throw new BundleException(bundle.Name, BundleErrorReason.RootOverlap, $"root '{mine}' overlaps root '{theirs}' of active bundle {name}");
                    }
                }

                var next = new Dictionary<string, PolicyBundle>(_active, StringComparer.Ordinal) { [bundle.Name] = bundle };
                Store.Swap(Compile(bundle.Name, next.Values));
                _active = next;
            }
            catch (BundleException e)
            {
                return Record(bundle.Name, bundle.Manifest.Revision, e);
            }

            return Record(bundle.Name, bundle.Manifest.Revision, null);
        }
    }

    /// <summary>Loads with <paramref name="load"/> and activates; a load failure is recorded as a refusal.</summary>
    public BundleActivationEvent Activate(string name, Func<PolicyBundle> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        PolicyBundle bundle;
        try
        {
            bundle = load();
        }
        catch (BundleException e)
        {
            lock (_lock)
            {
                return Record(name, null, e);
            }
        }

        return Activate(bundle);
    }

    /// <summary>Records a refusal that happened before activation (a failed download).</summary>
    public BundleActivationEvent Refuse(BundleException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_lock)
        {
            return Record(error.Bundle, null, error);
        }
    }

    private CompiledPolicy Compile(string name, IEnumerable<PolicyBundle> bundles)
    {
        var all = bundles.ToList();
        var data = ObjectValue.Empty;
        foreach (var b in all)
        {
            data = BundleData.Merge(b.Name, "data", data, b.Data);
        }

        // Policies and data written through an API (the policy server's) are compiled with the bundles.
        data = BundleData.Merge(name, "data", data, _local.Data);
        try
        {
            return _engine.Compile(all.SelectMany(b => b.Modules).Concat(_local.Modules), data);
        }
        catch (RegoParseException e)
        {
            throw new BundleException(name, BundleErrorReason.ParseError, e.Message, e);
        }
        catch (RegoCompileException e)
        {
            throw new BundleException(name, BundleErrorReason.CompileError, e.Message, e);
        }
    }

    private BundleActivationEvent Record(string name, string? revision, BundleException? error)
    {
        var e = new BundleActivationEvent(name, revision, _time.GetUtcNow(), error);
        _status = new Dictionary<string, BundleActivationEvent>(_status, StringComparer.Ordinal) { [name] = e };
        if (error is null)
        {
            BundleLog.Activated(_logger, name, revision ?? "");
        }
        else
        {
            BundleLog.Refused(_logger, name, error.Reason, error.Detail);
        }

        Activation?.Invoke(this, e);
        return e;
    }
}
