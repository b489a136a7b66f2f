using System.Numerics;

namespace AgentFabric.Rego.Values;

public sealed partial class NumberValue
{
    /// <summary>a + b: exact for integers of any size, floating point otherwise.</summary>
    public static NumberValue Add(NumberValue a, NumberValue b)
    {
        if (a._form == NumberForm.Int64 && b._form == NumberForm.Int64)
        {
            var r = a._long + b._long;
            // Overflow iff both operands have the same sign and the result's sign differs.
            if (((a._long ^ r) & (b._long ^ r)) >= 0)
            {
                return Create(r);
            }
        }

        if (a.IsInteger && b.IsInteger)
        {
            return Create(a.ToBig() + b.ToBig());
        }

        return Create(a.ToDouble() + b.ToDouble());
    }

    /// <summary>a - b.</summary>
    public static NumberValue Subtract(NumberValue a, NumberValue b)
    {
        if (a._form == NumberForm.Int64 && b._form == NumberForm.Int64)
        {
            var r = a._long - b._long;
            if (((a._long ^ b._long) & (a._long ^ r)) >= 0)
            {
                return Create(r);
            }
        }

        if (a.IsInteger && b.IsInteger)
        {
            return Create(a.ToBig() - b.ToBig());
        }

        return Create(a.ToDouble() - b.ToDouble());
    }

    /// <summary>a * b.</summary>
    public static NumberValue Multiply(NumberValue a, NumberValue b)
    {
        if (a._form == NumberForm.Int64 && b._form == NumberForm.Int64)
        {
            var hi = Math.BigMul(a._long, b._long, out var lo);
            if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0))
            {
                return Create(lo);
            }
        }

        if (a.IsInteger && b.IsInteger)
        {
            return Create(a.ToBig() * b.ToBig());
        }

        return Create(a.ToDouble() * b.ToDouble());
    }

    /// <summary>a / b; exact when the integers divide evenly, floating point otherwise. Null when b is zero.</summary>
    public static NumberValue? Divide(NumberValue a, NumberValue b)
    {
        if (b.Sign == 0)
        {
            return null;
        }

        if (a.IsInteger && b.IsInteger)
        {
            if (a._form == NumberForm.Int64 && b._form == NumberForm.Int64 && !(a._long == long.MinValue && b._long == -1))
            {
                if (a._long % b._long == 0)
                {
                    return Create(a._long / b._long);
                }
            }
            else
            {
                var q = BigInteger.DivRem(a.ToBig(), b.ToBig(), out var rem);
                if (rem.IsZero)
                {
                    return Create(q);
                }
            }
        }

        return Create(a.ToDouble() / b.ToDouble());
    }

    /// <summary>Truncated remainder of two integers (Go's <c>big.Int.Rem</c>: the sign follows the dividend).
    /// Null when b is zero or either operand is not an integer; the caller reports which.</summary>
    public static NumberValue? Remainder(NumberValue a, NumberValue b)
    {
        if (!a.IsInteger || !b.IsInteger || b.Sign == 0)
        {
            return null;
        }

        if (a._form == NumberForm.Int64 && b._form == NumberForm.Int64)
        {
            return b._long == -1 ? Zero : Create(a._long % b._long);
        }

        return Create(BigInteger.Remainder(a.ToBig(), b.ToBig()));
    }

    /// <summary>-a.</summary>
    public static NumberValue Negate(NumberValue a) => a._form switch
    {
        NumberForm.Int64 when a._long != long.MinValue => Create(-a._long),
        NumberForm.Double => Create(-a.DoubleValue),
        _ => Create(-a.ToBig()),
    };

    /// <summary>|a|.</summary>
    public static NumberValue Abs(NumberValue a) => a.Sign < 0 ? Negate(a) : a;

    /// <summary>The integer value; throws <see cref="InvalidOperationException"/> for a non-integral number.</summary>
    public BigInteger ToBig() => _form switch
    {
        NumberForm.Int64 => _long,
        NumberForm.Big => _big,
        _ => throw new InvalidOperationException("not an integer"),
    };
}
