using System.Collections.Frozen;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins;

/// <summary>Builtins by name. Filled once (by <see cref="BuiltinCatalog.CreateDefault"/> and any custom
/// registrations), then frozen by the compiler; lookups are lock-free afterwards.</summary>
public sealed class BuiltinRegistry
{
    private readonly Dictionary<string, BuiltinDefinition> _builtins = new(StringComparer.Ordinal);
    private FrozenDictionary<string, BuiltinDefinition>? _frozen;

    /// <summary>The number of builtins.</summary>
    public int Count => _builtins.Count;

    /// <summary>The registered names.</summary>
    public IEnumerable<string> Names => _builtins.Keys;

    /// <summary>Whether <see cref="Freeze"/> was called.</summary>
    public bool IsFrozen => _frozen is not null;

    /// <summary>Registers a builtin with its declared argument and result types.</summary>
    /// <example><code>r.Register("upper", [RegoType.String], RegoType.String,
    ///     static (_, a) =&gt; StringValue.Create(BuiltinArgs.String(a, 0).ToUpperInvariant()));</code></example>
    public void Register(string name, RegoType[] args, RegoType result, BuiltinFunction function, BuiltinFlags flags = BuiltinFlags.None) =>
        Register(name, new BuiltinSignature(args, result), function, flags);

    /// <summary>Registers a builtin with a full signature. Registering a name twice replaces the earlier builtin
    /// (so an embedder can override a default); <see cref="ArgumentException"/> after <see cref="Freeze"/>.</summary>
    public void Register(string name, BuiltinSignature signature, BuiltinFunction function, BuiltinFlags flags = BuiltinFlags.None)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(function);
        if (_frozen is not null)
        {
            throw new ArgumentException($"the builtin registry is frozen; cannot register {name}", nameof(name));
        }

        _builtins[name] = new BuiltinDefinition(name, signature, function, flags);
    }

    /// <summary>Looks a builtin up by its full name.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BuiltinDefinition? builtin)
    {
        if (_frozen is not null)
        {
            return _frozen.TryGetValue(name, out builtin);
        }

        return _builtins.TryGetValue(name, out builtin);
    }

    /// <summary>The builtin with this name; <see cref="KeyNotFoundException"/> when absent.</summary>
    public BuiltinDefinition this[string name] =>
        TryGet(name, out var b) ? b : throw new KeyNotFoundException($"unknown builtin {name}");

    /// <summary>Calls a builtin directly (for tests of a family): <c>registry.Invoke("upper", ctx, "a")</c>.</summary>
    public Value? Invoke(string name, BuiltinContext context, params ReadOnlySpan<Value> args) =>
        this[name].Function(context, args);

    /// <summary>Makes the registry read-only; the compiler calls this so evaluations can share it.</summary>
    public BuiltinRegistry Freeze()
    {
        _frozen ??= _builtins.ToFrozenDictionary(StringComparer.Ordinal);
        return this;
    }
}
