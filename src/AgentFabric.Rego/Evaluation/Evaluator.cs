using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>Top-down evaluation of one query with backtracking. Continuations return false to stop enumerating
/// (a negation found a solution, a limit was hit); every binding is undone when its continuation returns.
/// One instance per evaluation; not thread-safe.</summary>
internal sealed partial class Evaluator
{
    // Not readonly: a finished evaluator is reused by the next evaluation on its thread (see Rent).
    private CompiledPolicy _policy;
    private BuiltinContext _ctx;
    private EvaluationLimits _limits;
    private long _maxSteps;
    private long _deadline;
    private TimeProvider _time;
    private long _steps;

    private Value? _input;
    private List<(string[] Path, Value Value)>? _dataOverrides;
    private Dictionary<string, object>? _mocks;
    private ScopeCaches _caches = new();
    private Value?[]? _capturedValues;
    private Value?[]? _pathFrame;
    private Func<bool>? _stopAtFirst;
    private bool _solutionFound;

    private const long ClockNotStarted = long.MinValue;

    // One evaluator per thread, reused by each evaluation on it: a decision then allocates no evaluator, context or
    // cache of its own. It stays the thread's while in use (a flag, not a second reference write): an evaluation
    // started from inside another, e.g. by a builtin, gets a new one.
    [ThreadStatic]
    private static Evaluator? t_reused;

    private bool _inUse;

    public Evaluator(CompiledPolicy policy, Value? input, BuiltinContext ctx, EvaluationLimits limits)
    {
        _policy = policy;
        _input = input;
        _ctx = ctx;
        _limits = limits;
        _maxSteps = limits.MaxSteps;
        _time = ctx.TimeProvider;
        _deadline = ClockNotStarted;
    }

    /// <summary>An evaluator for one evaluation: the thread's own when it is idle. Hand it back with
    /// <see cref="Return"/> once the evaluation is over, or <see cref="Abandon"/> after an exception.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static Evaluator Rent(CompiledPolicy policy, Value? input, TimeProvider time, CancellationToken cancellationToken, bool strictErrors, Action<string>? print, EvaluationLimits limits)
    {
        var e = t_reused;
        if (e is null || e._inUse)
        {
            e = new Evaluator(policy, input, new BuiltinContext(time, cancellationToken, strictErrors, null, print), limits);
            if (t_reused is null)
            {
                t_reused = e;
            }

            e._inUse = true;
            return e;
        }

        // Settings rarely change between evaluations; a reference written only when it differs saves the GC's
        // write barrier on the usual path.
        e._inUse = true;
        e._ctx.Reset(time, cancellationToken, strictErrors, print);
        e._policy = policy;
        e._input = input;
        if (!ReferenceEquals(e._limits, limits))
        {
            e._limits = limits;
        }

        if (!ReferenceEquals(e._time, time))
        {
            e._time = time;
        }

        e._maxSteps = limits.MaxSteps;
        e._deadline = ClockNotStarted;
        return e;
    }

    /// <summary>Makes this evaluator idle again, dropping everything the evaluation referenced (the caches are
    /// emptied but keep their storage). Only for an evaluation that completed normally.</summary>
    public void Return()
    {
        _steps = 0;
        _input = null;
        _dataOverrides = null;
        _mocks = null;
        _capturedValues = null;
        _policy = null!;
        _ctx.Release();
        if (!_caches.Clear())
        {
            _caches = new();
        }

        _inUse = false;
    }

    /// <summary>Drops this evaluator after an evaluation ended in an exception: its state may be half-way through
    /// a computation, so the thread gets a fresh one next time.</summary>
    public void Abandon()
    {
        if (ReferenceEquals(t_reused, this))
        {
            t_reused = null;
        }
    }

    private static long Deadline(TimeProvider time, EvaluationLimits limits)
    {
        if (limits.Timeout == Timeout.InfiniteTimeSpan)
        {
            return long.MaxValue;
        }

        // A timeout past the end of the timestamp range (years, at a nanosecond frequency) is no limit in practice;
        // the plain sum would overflow into the past and stop every evaluation at once.
        var now = time.GetTimestamp();
        var ticks = limits.Timeout.TotalSeconds * time.TimestampFrequency;
        return ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
    }

    public void Run(Body query, int slotCount, Func<Value?[], bool> onSolution)
    {
        var frame = new Value?[slotCount];
        EvalBody(frame, query.Exprs, 0, () => onSolution(frame));
    }

    /// <summary>For a query <c>x = ref</c> whose reference has at most one value: the reference (see
    /// <see cref="TryEvalPath"/>); null for any other query.</summary>
    public static Term? PathTerm(Body query) =>
        query.Exprs is [UnifyExpr { Left: VarTerm { Slot: >= 0 }, Negated: false, With.Length: 0, CaptureIndex: < 0 } u] ? u.Right : null;

    /// <summary>The value of a query's reference (see <see cref="PathTerm"/>), null when undefined, without
    /// enumeration; false when the query needs <see cref="Run(Body, int, Func{Value?[], bool})"/>.</summary>
    public bool TryEvalPath(Term pathTerm, int slotCount, out Value? value)
    {
        // The frame is only read (the query's one variable is bound by the caller): reuse one across evaluations.
        var frame = _pathFrame is { } pf && pf.Length == slotCount ? pf : _pathFrame = new Value?[slotCount];
        return TryEvalDirect(frame, pathTerm, out value);
    }

    /// <summary>The rule-tree node a path query names when its value is computed by its rules alone (a simple leaf
    /// with no base document under it: see <see cref="QueriedLeafValue"/>); null otherwise.</summary>
    public static RuleNode? QueriedLeaf(CompiledPolicy policy, Term pathTerm)
    {
        if (pathTerm is not RefTerm { Head: VarTerm { Slot: SpecialSlots.Data } } r || !Array.TrueForAll(r.Path, p => p is ScalarTerm { Value: StringValue }))
        {
            return null;
        }

        var prefix = DataPrefix.Walk(policy, r.Path);
        return prefix.Index == r.Path.Length && prefix.Node is { IsSimpleLeaf: true } node && prefix.Base is null ? node : null;
    }

    /// <summary>The value of a node found by <see cref="QueriedLeaf"/> (null when undefined), computed without
    /// entering it in the node cache: nothing evaluated for it can refer to it again (that would be recursion,
    /// which the compiler rejects), and the evaluation ends with it. A rule on base data alone goes through
    /// <see cref="NodeValue"/>, which keeps its value for the policy.</summary>
    public Value? QueriedLeafValue(RuleNode node) => node.DataOnlyIndex >= 0 ? NodeValue(node) : SimpleLeafValue(node);

    /// <summary>Like <see cref="Run"/>, also recording the value of each top-level term expression (by its
    /// <see cref="Expr.CaptureIndex"/>) for the solution handed to <paramref name="onSolution"/>.</summary>
    public void Run(Body query, int slotCount, Value?[] capturedValues, Func<Value?[], bool> onSolution)
    {
        _capturedValues = capturedValues;
        Run(query, slotCount, onSolution);
    }

    // Called for every literal: the common case is one increment and one test, inlined; the rest is out of line.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Step()
    {
        var steps = ++_steps;
        if ((steps & 63) == 0 || steps > _maxSteps)
        {
            StepSlow();
        }
    }

    // Steps a value kept from an earlier evaluation took to compute: counted again, so that limits hold as if it
    // had been computed here.
    private void ChargeSteps(long steps)
    {
        _steps += steps;
        if (_steps > _maxSteps)
        {
            StepSlow();
        }
    }

    private void StepSlow()
    {
        if (_steps > _limits.MaxSteps)
        {
            throw new RegoEvaluationException(RegoErrorCodes.CancelError, $"evaluation exceeded the step limit ({_limits.MaxSteps})", null);
        }

        if ((_steps & 63) == 0)
        {
            CheckClock();
        }
    }

    // Reading the clock costs as much as a small decision, so a short evaluation never reads it: the time limit is
    // measured from the 64th step (earlier steps take microseconds, far below any sensible limit).
    private void CheckClock()
    {
        if (_deadline == ClockNotStarted)
        {
            _deadline = Deadline(_time, _limits);
            return;
        }

        if ((_steps & 1023) == 0)
        {
            if (_ctx.CancellationToken.IsCancellationRequested)
            {
                throw new RegoEvaluationException(RegoErrorCodes.CancelError, "caller cancelled query execution", null);
            }

            if (_time.GetTimestamp() > _deadline)
            {
                throw TimeLimitExceeded();
            }
        }
    }

    // One builtin call can take longer than thousands of steps (a backtracking regex, a large decode, a signature
    // check), so the time limit counts from the first builtin call too, and is checked after every call from then
    // on: twenty slow calls can no longer run past the limit between two step checks.
    private void CheckClockAfterBuiltin()
    {
        if (_deadline == ClockNotStarted)
        {
            _deadline = Deadline(_time, _limits);
            return;
        }

        if (_deadline != long.MaxValue && _time.GetTimestamp() > _deadline)
        {
            throw TimeLimitExceeded();
        }
    }

    private RegoEvaluationException TimeLimitExceeded() =>
        new(RegoErrorCodes.CancelError, $"evaluation exceeded the time limit ({_limits.Timeout})", null);

    private void CheckOutputSize(int count, Location location)
    {
        if (count > _limits.MaxOutputSize)
        {
            throw new RegoEvaluationException(RegoErrorCodes.CancelError, $"evaluation exceeded the output size limit ({_limits.MaxOutputSize})", location);
        }
    }

    /// <summary>Binds a frame slot. Frames are always created as exactly <c>Value?[]</c> (never a covariant array of
    /// a subtype), so the store skips the runtime's array type check, which costs as much as the rest of a binding.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Bind(Value?[] f, int slot, Value v)
    {
        System.Diagnostics.Debug.Assert(f.GetType() == typeof(Value?[]), "frames are never covariant arrays");
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)f.Length, nameof(slot));
        System.Runtime.CompilerServices.Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(f), slot) = v;
    }

    // Rules without variables (most `allow if input.x == "y"` rules) share the empty frame.
    private static Value?[] NewFrame(int slots) => slots == 0 ? [] : new Value?[slots];

    // Frames of rule bodies are reused within an evaluator (and evaluators across evaluations): one free frame per
    // small size. A frame is handed back only once nothing refers to it any more (its body's evaluation is over).
    private readonly Value?[]?[] _freeFrames = new Value?[]?[9];

    private Value?[] RentFrame(int slots)
    {
        if (slots < _freeFrames.Length && _freeFrames[slots] is { } free)
        {
            _freeFrames[slots] = null;
            return free;
        }

        return NewFrame(slots);
    }

    private void ReturnFrame(Value?[] frame)
    {
        if (frame.Length > 0 && frame.Length < _freeFrames.Length)
        {
            Array.Clear(frame);
            _freeFrames[frame.Length] = frame;
        }
    }

    private static RegoEvaluationException Conflict(string message, Location location) =>
        new(RegoErrorCodes.ConflictError, message, location);
}
