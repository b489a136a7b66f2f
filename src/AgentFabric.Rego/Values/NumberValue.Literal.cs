using System.Globalization;
using System.Numerics;
using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Values;

// OPA's ast.Number is a json.Number: the text the number was written with. Its value semantics (comparison,
// equality, hashing) are by value, but printing and a few conversions work on the text. Go's json.Number.Int64 is
// strconv.ParseInt of the text, so "1.0" and "-1e9" are not int64s there although their values are integers; its
// Float64 is strconv.ParseFloat, which fails beyond the float64 range ("2e308"). The TryGetGo* members reproduce
// those conversions for the builtins whose OPA implementation uses them.
public sealed partial class NumberValue
{
    /// <summary>Parses number text as written in a policy or a JSON document, keeping the text when it is not the
    /// canonical text of the value (<c>1.0</c>, <c>1e3</c>, <c>2e308</c>), as OPA does.</summary>
    public static bool TryParseLiteral(string text, out NumberValue value)
    {
        if (!TryParse(text, out value))
        {
            return false;
        }

        value = WithLiteralText(value, text);
        return true;
    }

    /// <summary>Parses number text keeping its literal form; throws <see cref="FormatException"/> when it is not a
    /// number.</summary>
    public static NumberValue ParseLiteral(string text) =>
        TryParseLiteral(text, out var v) ? v : throw new FormatException($"invalid number: {text}");

    /// <summary>The value with <paramref name="text"/> as its literal text, or the value itself when the text is
    /// its canonical text (so common literals stay shared instances).</summary>
    internal static NumberValue WithLiteralText(NumberValue value, string text)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(text);
        if (value.IsCanonicalText(text))
        {
            return value._text is null ? value : new NumberValue(value, null);
        }

        return new NumberValue(value, text);
    }

    /// <summary>The same value without literal text (it prints canonically).</summary>
    public NumberValue WithoutLiteralText() => _text is null ? this : new NumberValue(this, null);

    /// <summary>The number's text: its literal text when it has one, else the canonical text (integers in
    /// decimal, other numbers as Go's <c>FormatFloat(f, 'g', -1, 64)</c>).</summary>
    public string Text => _text ?? CanonicalOf(this);

    /// <summary>Go's <c>json.Number.Int64</c> on <see cref="Text"/>: only plain integer text that fits 64 bits.</summary>
    internal bool TryGetGoInt64(out long value)
    {
        if (_text is null)
        {
            return TryGetInt64(out value);
        }

        return long.TryParse(_text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Go's <c>big.Int.SetString(text, 10)</c> on <see cref="Text"/>: only plain integer text.</summary>
    internal bool TryGetGoBigInteger(out BigInteger value)
    {
        if (_text is null)
        {
            return TryGetBigInteger(out value);
        }

        return BigInteger.TryParse(_text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Go's <c>json.Number.Float64</c> on <see cref="Text"/>: fails beyond the float64 range.</summary>
    internal bool TryGetGoFloat64(out double value)
    {
        if (_text is null)
        {
            value = ToDouble();
        }
        else if (!double.TryParse(_text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        return double.IsFinite(value);
    }

    /// <summary>The literal text when it is a valid JSON number (RFC 8259 §6), which OPA writes as is; null when
    /// the number has no literal text or the text is not JSON (a leading zero, say).</summary>
    internal string? JsonLiteralText => _text is not null && IsJsonNumber(_text) ? _text : null;

    // RFC 8259 §6: [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ).
    private static bool IsJsonNumber(string s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-')
        {
            i++;
        }

        if (i >= s.Length || !char.IsAsciiDigit(s[i]) || (s[i] == '0' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
        {
            return false;
        }

        i = SkipDigits(s, i);
        if (i < s.Length && s[i] == '.')
        {
            var start = ++i;
            i = SkipDigits(s, i);
            if (i == start)
            {
                return false;
            }
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }

            var start = i;
            i = SkipDigits(s, i);
            if (i == start)
            {
                return false;
            }
        }

        return i == s.Length;
    }

    private static int SkipDigits(string s, int i)
    {
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i;
    }

    private static string CanonicalOf(NumberValue value) => value._form switch
    {
        NumberForm.Int64 => value._long.ToString(CultureInfo.InvariantCulture),
        NumberForm.Big => value._big.ToString(CultureInfo.InvariantCulture),
        _ => GoFloatText.Format(value.DoubleValue),
    };

    private bool IsCanonicalText(string text)
    {
        if (_form == NumberForm.Int64)
        {
            Span<char> buffer = stackalloc char[20];
            return _long.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture) &&
                   buffer[..written].SequenceEqual(text);
        }

        return CanonicalOf(this) == text;
    }
}
