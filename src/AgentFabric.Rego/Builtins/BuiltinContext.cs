namespace AgentFabric.Rego.Builtins;

/// <summary>What a builtin may use during one evaluation. One instance per evaluation; not shared across threads.</summary>
public sealed class BuiltinContext
{
    private Dictionary<object, object?>? _cache;
    private DateTimeOffset? _now;

    /// <summary>Creates a context. The evaluator creates one per evaluation; tests may create their own.</summary>
    /// <param name="timeProvider">The clock; <c>time.now_ns</c> is read from it once, on first use.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <param name="strictErrors">Whether builtin errors abort evaluation (OPA's <c>strict-builtin-errors</c>).</param>
    /// <param name="random">The random source for <c>rand.intn</c>, <c>uuid.rfc4122</c>; defaults to a shared one.</param>
    /// <param name="print">Receives <c>print</c> output lines; null discards them.</param>
    public BuiltinContext(
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default,
        bool strictErrors = false,
        Random? random = null,
        Action<string>? print = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
        CancellationToken = cancellationToken;
        StrictErrors = strictErrors;
        Random = random ?? Random.Shared;
        Print = print;
    }

    /// <summary>The clock the evaluation was started with.</summary>
    public TimeProvider TimeProvider { get; private set; }

    /// <summary>The evaluation's fixed instant: every <c>time.now_ns()</c> call of one evaluation returns it.</summary>
    /// <remarks>Read from the clock on first use: most decisions never ask for the time.</remarks>
    public DateTimeOffset Now => _now ??= TimeProvider.GetUtcNow();

    /// <summary><see cref="Now"/> as nanoseconds since the Unix epoch (the value of <c>time.now_ns()</c>).</summary>
    public long NowNanoseconds => (Now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>Cancels the evaluation; long-running builtins should check it.</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Whether builtin errors abort the evaluation (otherwise the call is undefined).</summary>
    public bool StrictErrors { get; private set; }

    /// <summary>The random source.</summary>
    public Random Random { get; private set; }

    /// <summary>Receives <c>print</c> output; null when printing is disabled.</summary>
    public Action<string>? Print { get; private set; }

    /// <summary>A cache that lives for one evaluation (e.g. <c>rand.intn</c> answers, parsed regexes, JWKS).
    /// Key it with a tuple that starts with the builtin's name to avoid collisions.</summary>
    public IDictionary<object, object?> Cache => _cache ??= [];

    /// <summary>Prepares the context for another evaluation (the evaluator reuses its context): the cache and the
    /// fixed instant are dropped. A setting is written only when it differs from the last one: each reference
    /// written costs a GC write barrier, and they are the same from one decision to the next.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void Reset(TimeProvider timeProvider, CancellationToken cancellationToken, bool strictErrors, Action<string>? print)
    {
        if (!ReferenceEquals(TimeProvider, timeProvider))
        {
            TimeProvider = timeProvider;
        }

        if (cancellationToken.CanBeCanceled)
        {
            CancellationToken = cancellationToken;
        }

        StrictErrors = strictErrors;
        if (!ReferenceEquals(Print, print))
        {
            Print = print;
        }

        if (!ReferenceEquals(Random, Random.Shared))
        {
            Random = Random.Shared;
        }

        _cache = null;
        _now = null;
    }

    /// <summary>Drops what the finished evaluation referenced that could keep its caller's objects alive (the
    /// cancellation token, the print sink, the cache); the clock is kept for the next evaluation.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void Release()
    {
        if (CancellationToken.CanBeCanceled)
        {
            CancellationToken = default;
        }

        if (Print is not null)
        {
            Print = null;
        }

        _cache = null;
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> when the evaluation was cancelled.</summary>
    public void ThrowIfCancellationRequested() => CancellationToken.ThrowIfCancellationRequested();
}
