using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Cli.Policy;

/// <summary>
/// The resource limits of <c>policy eval</c> and <c>policy test</c>: <c>--timeout</c> as <c>opa</c>'s (a Go duration,
/// <c>0</c> for none), and the engine's step and output-size limits as <c>--max-steps</c> and <c>--max-output</c>
/// (<c>0</c> for none). A limit reached ends the evaluation with an <c>eval_cancel_error</c>, never a result.
/// </summary>
/// <param name="Timeout">Wall-clock time for one evaluation; <see cref="TimeSpan.Zero"/> for none.</param>
/// <param name="MaxSteps">Evaluation steps (literals evaluated); 0 for none.</param>
/// <param name="MaxOutput">Elements of one comprehension, partial rule or result set; 0 for none.</param>
internal sealed record PolicyLimits(TimeSpan Timeout, long MaxSteps, int MaxOutput)
{
    /// <summary>About a minute of evaluation on a laptop: generous for a command line, still an end to a runaway loop.</summary>
    public const long DefaultMaxSteps = 100_000_000;

    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>The engine's default (<see cref="EvaluationLimits.MaxOutputSize"/>).</summary>
    public const int DefaultMaxOutput = 1_000_000;

    /// <summary><c>--timeout</c>, read as Go's <c>time.ParseDuration</c> does (<c>100ms</c>, <c>5s</c>, <c>1m30s</c>).</summary>
    public static Option<TimeSpan> TimeoutOption(TimeSpan defaultValue, string description) => new("--timeout")
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = ParseTimeout,
    };

    public static Option<long> MaxStepsOption()
    {
        var option = new Option<long>("--max-steps")
        {
            Description = $"Stop an evaluation after this many steps (literals evaluated); 0 for no limit. Default {DefaultMaxSteps.ToString(CultureInfo.InvariantCulture)}.",
            DefaultValueFactory = _ => DefaultMaxSteps,
        };
        option.Validators.Add(r => RefuseNegative(r, r.GetValueOrDefault<long>()));
        return option;
    }

    public static Option<int> MaxOutputOption()
    {
        var option = new Option<int>("--max-output")
        {
            Description = $"Stop an evaluation whose comprehension, partial rule or result set grows past this many elements; 0 for no limit. Default {DefaultMaxOutput.ToString(CultureInfo.InvariantCulture)}.",
            DefaultValueFactory = _ => DefaultMaxOutput,
        };
        option.Validators.Add(r => RefuseNegative(r, r.GetValueOrDefault<int>()));
        return option;
    }

    /// <summary>The limits given on the command line.</summary>
    public static PolicyLimits From(ParseResult parse, Option<TimeSpan> timeout, Option<long> maxSteps, Option<int> maxOutput) =>
        new(parse.GetValue(timeout), parse.GetValue(maxSteps), parse.GetValue(maxOutput));

    /// <summary>The engine limits: each 0 is the engine's "none".</summary>
    public EvaluationLimits EngineLimits => new()
    {
        Timeout = Timeout == TimeSpan.Zero ? System.Threading.Timeout.InfiniteTimeSpan : Timeout,
        MaxSteps = MaxSteps == 0 ? long.MaxValue : MaxSteps,
        MaxOutputSize = MaxOutput == 0 ? int.MaxValue : MaxOutput,
    };

    /// <summary>Evaluates <paramref name="query"/> within the limits. The time limit is both the engine's deadline
    /// (checked between steps and after every builtin call) and a cancellation at the deadline, which a long builtin
    /// (a huge <c>numbers.range</c>, a graph walk) checks while it runs, as <c>opa</c>'s context deadline does.</summary>
    /// <exception cref="RegoEvaluationException">The evaluation failed; a time limit reads
    /// <c>evaluation exceeded the time limit of 100ms (--timeout)</c>.</exception>
    public QueryResult Evaluate(PreparedQuery query, Value? input, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(clock);
        // A timer runs at most 2^32-2 ms (49.7 days); a longer timeout is left to the engine's deadline alone.
        using var deadline = Timeout == TimeSpan.Zero || Timeout > MaxTimerDelay ? null : new CancellationTokenSource(Timeout, clock);
        var started = clock.GetTimestamp();
        try
        {
            return query.Evaluate(input, deadline?.Token ?? CancellationToken.None, new EvaluationSettings { Limits = EngineLimits, TimeProvider = clock });
        }
        catch (RegoEvaluationException e) when (e.Code == RegoErrorCodes.CancelError && Timeout != TimeSpan.Zero &&
            (deadline?.IsCancellationRequested == true || clock.GetElapsedTime(started) >= Timeout))
        {
            // The engine words it by which check saw the deadline first ("caller cancelled ..." or its own time limit
            // as a TimeSpan); the command line reports the flag, in its own spelling.
            throw new RegoEvaluationException(
                RegoErrorCodes.CancelError,
                $"evaluation exceeded the time limit of {GoDurationText.Format(Timeout.Ticks * 100)} (--timeout)",
                null,
                e);
        }
    }

    private static TimeSpan ParseTimeout(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (!GoDurationText.TryParse(text, out var nanoseconds))
        {
            // cobra's wording for a flag value its type cannot read.
            result.AddError($"invalid argument \"{text}\" for \"--timeout\" flag: time: invalid duration \"{text}\"");
            return TimeSpan.Zero;
        }

        if (nanoseconds < 0)
        {
            result.AddError($"--timeout must not be negative (0 for no limit), got \"{text}\"");
            return TimeSpan.Zero;
        }

        // TimeSpan counts 100 ns ticks; a timeout below one tick would be no limit at all, so it rounds up.
        return TimeSpan.FromTicks(Math.Max((nanoseconds + 99) / 100, nanoseconds == 0 ? 0 : 1));
    }

    private static void RefuseNegative(OptionResult result, long value)
    {
        if (value < 0)
        {
            result.AddError($"{result.Option.Name} must be 0 (no limit) or a positive number, got {value.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
