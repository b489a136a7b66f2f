using System.Numerics;
using System.Text;
using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Values;

/// <summary>A Rego number of arbitrary precision.</summary>
/// <remarks>
/// Canonical representation, so equality and hashing are representation-free (1 == 1.0): an integral value is
/// always an integer, held in a <see cref="long"/> when it fits and in a <see cref="BigInteger"/> beyond 64 bits;
/// only non-integral values are held as a <see cref="double"/>. OPA keeps arbitrary-precision integers (big.Int) and
/// does non-integral arithmetic in floating point, which this reproduces.
/// A number read from source or JSON text whose text is not the canonical one (<c>1.0</c>, <c>1e3</c>,
/// <c>2e308</c>) also keeps that text (<see cref="LiteralText"/>), as OPA's json.Number does: it is what the number
/// prints as, and what OPA's text-based conversions (Go's <c>json.Number.Int64</c>) see. Arithmetic results never
/// carry text.
/// </remarks>
public sealed partial class NumberValue : Value
{
    private const int SmallMin = -128;
    private const int SmallMax = 1024;
    private static readonly NumberValue[] Small = CreateSmall();

    // _long holds the integer of Int64 form, or the bits of the double of Double form (one slot for both keeps the
    // object as small as before the literal text was added).
    private readonly long _long;
    private readonly BigInteger _big;
    private readonly string? _text;
    private readonly NumberForm _form;

    private NumberValue(long value)
    {
        _long = value;
        _form = NumberForm.Int64;
    }

    private NumberValue(BigInteger value)
    {
        _big = value;
        _form = NumberForm.Big;
    }

    private NumberValue(double value)
    {
        _long = BitConverter.DoubleToInt64Bits(value);
        _form = NumberForm.Double;
    }

    private NumberValue(NumberValue value, string? text)
    {
        _long = value._long;
        _big = value._big;
        _form = value._form;
        _text = text;
    }

    private double DoubleValue => BitConverter.Int64BitsToDouble(_long);

    private enum NumberForm : byte
    {
        Int64,
        Big,
        Double,
    }

    /// <summary>Zero.</summary>
    public static NumberValue Zero => Small[-SmallMin];

    /// <summary>One.</summary>
    public static NumberValue One => Small[1 - SmallMin];

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Number;

    /// <summary>The text the number was written with when it differs from the canonical text (<c>1.0</c>,
    /// <c>1e3</c>, <c>-0</c>), else null.</summary>
    public string? LiteralText => _text;

    /// <summary>Whether the number is an integer (of any size).</summary>
    public bool IsInteger => _form != NumberForm.Double;

    /// <summary>Whether the number is an integer that fits in 64 bits.</summary>
    public bool IsInt64 => _form == NumberForm.Int64;

    /// <summary>A number from a 64-bit integer; small values are shared instances.</summary>
    public static NumberValue Create(long value) =>
        value is >= SmallMin and <= SmallMax ? Small[value - SmallMin] : new NumberValue(value);

    /// <summary>A number from an integer of any size.</summary>
    public static NumberValue Create(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? Create((long)value) : new NumberValue(value);

    /// <summary>A number from a double; integral doubles become integers. NaN and infinities are rejected
    /// (<see cref="ArgumentOutOfRangeException"/>): Rego numbers are JSON numbers.</summary>
    public static NumberValue Create(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Rego numbers must be finite");
        }

        if (Math.Floor(value) != value)
        {
            return new NumberValue(value);
        }

        return value is >= -9.2233720368547758E+18 and < 9.2233720368547758E+18
            ? Create((long)value)
            : Create(new BigInteger(value));
    }

    /// <summary>The value as a 64-bit integer, when it is an integer that fits.</summary>
    public bool TryGetInt64(out long value)
    {
        value = _form == NumberForm.Int64 ? _long : 0;
        return _form == NumberForm.Int64;
    }

    /// <summary>The value as a 32-bit integer, when it is an integer that fits.</summary>
    public bool TryGetInt32(out int value)
    {
        if (_form == NumberForm.Int64 && _long is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)_long;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>The value as an integer of any size, when it is an integer.</summary>
    public bool TryGetBigInteger(out BigInteger value)
    {
        switch (_form)
        {
            case NumberForm.Int64:
                value = _long;
                return true;
            case NumberForm.Big:
                value = _big;
                return true;
            default:
                value = default;
                return false;
        }
    }

    /// <summary>The value as the nearest double.</summary>
    public double ToDouble() => _form switch
    {
        NumberForm.Int64 => _long,
        NumberForm.Big => (double)_big,
        _ => DoubleValue,
    };

    /// <summary>The sign: -1, 0 or 1.</summary>
    public int Sign => _form switch
    {
        NumberForm.Int64 => Math.Sign(_long),
        NumberForm.Big => _big.Sign,
        _ => Math.Sign(DoubleValue),
    };

    /// <inheritdoc/>
    public override bool Equals(Value? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not NumberValue n || n._form != _form)
        {
            return false;
        }

        return _form switch
        {
            NumberForm.Int64 => _long == n._long,
            NumberForm.Big => _big == n._big,
            _ => DoubleValue.Equals(n.DoubleValue),
        };
    }

    /// <inheritdoc/>
    public override int GetHashCode() => _form switch
    {
        NumberForm.Int64 => _long.GetHashCode(),
        NumberForm.Big => _big.GetHashCode(),
        _ => DoubleValue.GetHashCode(),
    };

    /// <summary>Compares two numbers by value.</summary>
    public static int Compare(NumberValue a, NumberValue b)
    {
        if (a._form == NumberForm.Int64 && b._form == NumberForm.Int64)
        {
            return a._long.CompareTo(b._long);
        }

        if (a._form == NumberForm.Double && b._form == NumberForm.Double)
        {
            return a.DoubleValue.CompareTo(b.DoubleValue);
        }

        if (a._form != NumberForm.Double && b._form != NumberForm.Double)
        {
            a.TryGetBigInteger(out var x);
            b.TryGetBigInteger(out var y);
            return x.CompareTo(y);
        }

        // One integer, one non-integral double: compare the integer with the double's floor. A non-integral double
        // is below 2^52 in magnitude, so its floor is exact.
        if (a._form == NumberForm.Double)
        {
            return -CompareIntegerWithDouble(b, a.DoubleValue);
        }

        return CompareIntegerWithDouble(a, b.DoubleValue);
    }

    private static int CompareIntegerWithDouble(NumberValue integer, double d)
    {
        var floor = (long)Math.Floor(d);
        if (integer._form == NumberForm.Big)
        {
            return integer._big.Sign;
        }

        return integer._long <= floor ? -1 : 1;
    }

    /// <inheritdoc/>
    public override void WriteTerm(StringBuilder builder)
    {
        if (_text is not null)
        {
            builder.Append(_text);
            return;
        }

        switch (_form)
        {
            case NumberForm.Int64:
                builder.Append(_long);
                break;
            case NumberForm.Big:
                builder.Append(_big.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append(GoFloatText.Format(DoubleValue));
                break;
        }
    }

    private static NumberValue[] CreateSmall()
    {
        var small = new NumberValue[SmallMax - SmallMin + 1];
        for (var i = 0; i < small.Length; i++)
        {
            small[i] = new NumberValue((long)(i + SmallMin));
        }

        return small;
    }
}
