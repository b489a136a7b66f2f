using System.Numerics;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Numbers;

internal static class NumbersBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        RegoType[] number = [RegoType.Number];
        r.Register("abs", number, RegoType.Number, static (_, a) => NumberValue.Abs(BuiltinArgs.Number(a, 0)));
        r.Register("round", number, RegoType.Number, static (_, a) => NumbersFunctions.Round(BuiltinArgs.Number(a, 0)));
        r.Register("ceil", number, RegoType.Number, static (_, a) => NumbersFunctions.Ceiling(BuiltinArgs.Number(a, 0)));
        r.Register("floor", number, RegoType.Number, static (_, a) => NumbersFunctions.Floor(BuiltinArgs.Number(a, 0)));

        var numbers = RegoType.ArrayOf(RegoType.Number);
        r.Register("numbers.range", [RegoType.Number, RegoType.Number], numbers, NumbersFunctions.Range);
        r.Register("numbers.range_step", [RegoType.Number, RegoType.Number, RegoType.Number], numbers, NumbersFunctions.RangeStep);
        r.Register("rand.intn", [RegoType.String, RegoType.Number], RegoType.Number, NumbersFunctions.RandomInteger, BuiltinFlags.Nondeterministic);
    }
}

/// <summary>The numbers family: rounding, integer ranges and <c>rand.intn</c>.</summary>
internal static class NumbersFunctions
{
    // Builtins run outside the evaluator's step and time accounting, so a range is bounded here: 4,194,304 numbers
    // (OPA has no bound and would exhaust memory on numbers.range(0, 1e12)).
    private const int MaxRangeLength = 1 << 22;

    // Integers (of any size) are their own rounding; only non-integral numbers are held as doubles, and those are
    // below 2^52 in magnitude, so the double operations below are exact.
    public static NumberValue Round(NumberValue n) =>
        n.IsInteger ? n : NumberValue.Create(Math.Round(n.ToDouble(), MidpointRounding.AwayFromZero));

    public static NumberValue Ceiling(NumberValue n) => n.IsInteger ? n : NumberValue.Create(Math.Ceiling(n.ToDouble()));

    public static NumberValue Floor(NumberValue n) => n.IsInteger ? n : NumberValue.Create(Math.Floor(n.ToDouble()));

    public static Value Range(BuiltinContext context, ReadOnlySpan<Value> a) =>
        Generate(context, RangeBound(a, 0), RangeBound(a, 1), BigInteger.One);

    public static Value RangeStep(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var from = RangeBound(a, 0);
        var to = RangeBound(a, 1);
        var step = RangeBound(a, 2);
        if (step.Sign <= 0)
        {
            throw new RegoBuiltinException("step must be a positive integer");
        }

        return Generate(context, from, to, step);
    }

    // rand.intn(str, n): a random integer in [0, |n|), the same for the same (str, n) within one evaluation.
    public static Value RandomInteger(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var key = BuiltinArgs.String(a, 0);
        var n = GoIntOperand.Read(a, 1);
        if (n == 0)
        {
            return NumberValue.Zero;
        }

        // |long.MinValue| does not fit a long: use the largest bound that does.
        var bound = n == long.MinValue ? long.MaxValue : Math.Abs(n);
        var cacheKey = ("rand.intn", key, bound);
        if (context.Cache.TryGetValue(cacheKey, out var cached) && cached is NumberValue previous)
        {
            return previous;
        }

        var result = NumberValue.Create(context.Random.NextInt64(bound));
        context.Cache[cacheKey] = result;
        return result;
    }

    // OPA reads range bounds as big integers: a non-number is "must be integer", a fraction "must be integer number".
    private static BigInteger RangeBound(ReadOnlySpan<Value> a, int index)
    {
        if (a[index] is not NumberValue)
        {
            throw BuiltinArgs.TypeMismatch(index, a[index], "integer");
        }

        return BuiltinArgs.Integer(a, index);
    }

    private static ArrayValue Generate(BuiltinContext context, BigInteger from, BigInteger to, BigInteger step)
    {
        var ascending = from <= to;
        var count = (BigInteger.Abs(to - from) / step) + 1;
        if (count > MaxRangeLength)
        {
            throw RegoBuiltinException.LimitReached($"range of {count} numbers exceeds the limit of {MaxRangeLength}");
        }

        var items = new Value[(int)count];
        var current = from;
        for (var i = 0; i < items.Length; i++)
        {
            if ((i & 0xFFFF) == 0)
            {
                context.ThrowIfCancellationRequested();
            }

            items[i] = NumberValue.Create(current);
            current = ascending ? current + step : current - step;
        }

        return ArrayValue.Wrap(items);
    }
}
