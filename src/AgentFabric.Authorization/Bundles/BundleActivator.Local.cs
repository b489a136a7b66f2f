using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Bundles;

/// <summary>Policies and data written outside bundles (OPA's Policy and Data APIs), compiled together with the active
/// bundles. A write goes through the same lock and the same atomic swap as an activation.</summary>
public sealed partial class BundleActivator
{
    private LocalDocuments _local = LocalDocuments.Empty;

    /// <summary>The modules and data written outside bundles.</summary>
    public LocalDocuments Local
    {
        get
        {
            lock (_lock)
            {
                return _local;
            }
        }
    }

    /// <summary>Replaces the documents written outside bundles with <paramref name="change"/>'s answer and compiles
    /// them with the active bundles; throws <see cref="RegoParseException"/>, <see cref="RegoCompileException"/>
    /// or <see cref="BundleException"/> (data conflicting with a bundle's), leaving everything as it was.</summary>
    public LocalDocuments UpdateLocal(Func<LocalDocuments, LocalDocuments> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            var previous = _local;
            var next = change(previous);
            _local = next;
            try
            {
                var data = ObjectValue.Empty;
                foreach (var b in _active.Values)
                {
                    data = BundleData.Merge(b.Name, "data", data, b.Data);
                }

                data = BundleData.Merge("", "data", data, next.Data);
                Store.Swap(_engine.Compile(_active.Values.SelectMany(b => b.Modules).Concat(next.Modules), data));
            }
            catch
            {
                _local = previous;
                throw;
            }

            return next;
        }
    }

    /// <summary>The active bundle whose manifest roots own <paramref name="path"/> (a data path's segments), or
    /// <see langword="null"/>: OPA refuses API writes there.</summary>
    public string? OwnerOf(IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_lock)
        {
            foreach (var (name, bundle) in _active)
            {
                // A write above a root would replace the bundle's data as well.
                if (bundle.Manifest.Owns(path) || bundle.Manifest.Roots.Any(r => BundleRoots.IsPrefix(path, BundleRoots.Segments(r))))
                {
                    return name;
                }
            }

            return null;
        }
    }
}

/// <summary>Modules (by id) and data written through an API rather than a bundle.</summary>
/// <param name="Policies">The modules by policy id, with their source text.</param>
/// <param name="Data">The data document.</param>
public sealed record LocalDocuments(IReadOnlyDictionary<string, RegoModuleSource> Policies, ObjectValue Data)
{
    /// <summary>No module, empty data.</summary>
    public static readonly LocalDocuments Empty = new(new Dictionary<string, RegoModuleSource>(StringComparer.Ordinal), ObjectValue.Empty);

    /// <summary>The modules.</summary>
    public IEnumerable<RegoModuleSource> Modules => Policies.Values;
}
