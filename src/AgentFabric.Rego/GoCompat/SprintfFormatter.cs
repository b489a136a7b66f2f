using System.Globalization;
using System.Numerics;
using System.Text;

namespace AgentFabric.Rego.GoCompat;

/// <summary>Go's <c>fmt.Sprintf</c> over the operand kinds OPA's <c>sprintf</c> passes to it: 64-bit integers
/// (Go <c>int</c>), larger integers (<c>*big.Int</c>), floats (<c>float64</c>) and strings. Every other Rego value
/// reaches Go as its term text (a string), so <c>%v</c> of an array prints <c>["a", 1]</c>.</summary>
/// <remarks>Reproduces Go's verbs, flags (<c>+ - # 0 space</c>), width, precision, explicit argument indexes
/// (<c>%[2]d</c>, <c>%*d</c>) and its in-band error texts (<c>%!d(string=x)</c>, <c>%!s(MISSING)</c>,
/// <c>%!(EXTRA int=1)</c>, <c>%!(NOVERB)</c>).</remarks>
internal static partial class SprintfFormatter
{
    public static string Format(string format, IReadOnlyList<SprintfArg> args)
    {
        var sb = new StringBuilder(format.Length + 16);
        var state = new ArgState { Count = args.Count };
        var i = 0;
        while (i < format.Length)
        {
            var start = i;
            while (i < format.Length && format[i] != '%')
            {
                i++;
            }

            sb.Append(format, start, i - start);
            if (i >= format.Length)
            {
                break;
            }

            i++; // skip '%'
            state.Good = true;
            var spec = new Spec();

            // Flags; '-' wins over '0' (zero padding only on the left).
            for (; i < format.Length; i++)
            {
                var c = format[i];
                if (c == '#')
                {
                    spec.Sharp = true;
                }
                else if (c == '0')
                {
                    spec.Zero = !spec.Minus;
                }
                else if (c == '+')
                {
                    spec.Plus = true;
                }
                else if (c == '-')
                {
                    spec.Minus = true;
                    spec.Zero = false;
                }
                else if (c == ' ')
                {
                    spec.Space = true;
                }
                else
                {
                    break;
                }
            }

            // Explicit argument index, then width (a number or '*').
            var afterIndex = ArgNumber(format, ref i, ref state);
            if (i < format.Length && format[i] == '*')
            {
                i++;
                (spec.Width, spec.HasWidth) = IntFromArg(args, ref state);
                if (!spec.HasWidth)
                {
                    sb.Append("%!(BADWIDTH)");
                }

                if (spec.Width < 0)
                {
                    spec.Width = -spec.Width;
                    spec.Minus = true;
                    spec.Zero = false;
                }

                afterIndex = false;
            }
            else
            {
                (spec.Width, spec.HasWidth, i) = ParseNumber(format, i);
                if (afterIndex && spec.HasWidth)
                {
                    state.Good = false; // "%[3]2d"
                }
            }

            // Precision: a bare '.' means precision 0.
            if (i < format.Length && format[i] == '.')
            {
                i++;
                if (afterIndex)
                {
                    state.Good = false; // "%[3].2d"
                }

                afterIndex = ArgNumber(format, ref i, ref state);
                if (i < format.Length && format[i] == '*')
                {
                    i++;
                    (spec.Precision, spec.HasPrecision) = IntFromArg(args, ref state);
                    if (spec.Precision < 0)
                    {
                        spec.Precision = 0;
                        spec.HasPrecision = false;
                    }

                    if (!spec.HasPrecision)
                    {
                        sb.Append("%!(BADPREC)");
                    }

                    afterIndex = false;
                }
                else
                {
                    (spec.Precision, _, i) = ParseNumber(format, i);
                    spec.HasPrecision = true;
                }
            }

            if (!afterIndex)
            {
                ArgNumber(format, ref i, ref state);
            }

            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            var verb = Rune.GetRuneAt(format, i);
            i += verb.Utf16SequenceLength;
            if (verb.Value == '%')
            {
                sb.Append('%');
                continue;
            }

            if (!state.Good)
            {
                sb.Append("%!").Append(verb.ToString()).Append("(BADINDEX)");
                continue;
            }

            if (state.ArgNum >= args.Count)
            {
                sb.Append("%!").Append(verb.ToString()).Append("(MISSING)");
                continue;
            }

            spec.Verb = verb.Value;
            FormatArg(sb, args[state.ArgNum], spec);
            state.ArgNum++;
        }

        if (!state.Reordered && state.ArgNum < args.Count)
        {
            sb.Append("%!(EXTRA ");
            for (var k = state.ArgNum; k < args.Count; k++)
            {
                if (k > state.ArgNum)
                {
                    sb.Append(", ");
                }

                sb.Append(args[k].GoTypeName).Append('=');
                FormatArg(sb, args[k], new Spec { Verb = 'v' });
            }

            sb.Append(')');
        }

        return sb.ToString();
    }

    private static (int Value, bool Ok, int Next) ParseNumber(string s, int i)
    {
        var start = i;
        var n = 0;
        while (i < s.Length && s[i] is >= '0' and <= '9')
        {
            n = n * 10 + (s[i] - '0');
            if (n > 1_000_000)
            {
                return (0, false, i); // Go's tooLarge guard
            }

            i++;
        }

        return (n, i > start, i);
    }

    // Go's argNumber: an optional "[n]" (1-based) selects the next argument; a bad index spoils this verb.
    private static bool ArgNumber(string s, ref int i, ref ArgState state)
    {
        if (i >= s.Length || s[i] != '[')
        {
            return false;
        }

        state.Reordered = true;
        if (s.Length - i < 3)
        {
            i++;
            state.Good = false;
            return false;
        }

        for (var j = i + 1; j < s.Length; j++)
        {
            if (s[j] == ']')
            {
                var (n, ok, next) = ParseNumber(s, i + 1);
                i = j + 1;
                if (!ok || next != j)
                {
                    state.Good = false;
                    return false;
                }

                if (n < 1 || n > state.Count)
                {
                    state.Good = false;
                    return true;
                }

                state.ArgNum = n - 1;
                return true;
            }
        }

        i++;
        state.Good = false;
        return false;
    }

    private static (int Value, bool Ok) IntFromArg(IReadOnlyList<SprintfArg> args, ref ArgState state)
    {
        if (state.ArgNum >= args.Count)
        {
            return (0, false);
        }

        var a = args[state.ArgNum++];
        return a.Kind == SprintfArgKind.Int && a.Int is >= -1_000_000 and <= 1_000_000 ? ((int)a.Int, true) : (0, false);
    }

    private static void FormatArg(StringBuilder sb, SprintfArg arg, Spec spec)
    {
        if (spec.Verb == 'T')
        {
            Pad(sb, arg.GoTypeName, spec);
            return;
        }

        switch (arg.Kind)
        {
            case SprintfArgKind.Int:
                FormatInteger(sb, arg.Int, arg, spec, isBig: false);
                break;
            case SprintfArgKind.Big:
                FormatInteger(sb, arg.Big, arg, spec, isBig: true);
                break;
            case SprintfArgKind.Float:
                FormatFloat(sb, arg, spec);
                break;
            default:
                FormatString(sb, arg, spec);
                break;
        }
    }

    private static void BadVerb(StringBuilder sb, SprintfArg arg, Spec spec)
    {
        sb.Append("%!").Append(new Rune(spec.Verb).ToString()).Append('(');
        if (arg.Kind == SprintfArgKind.Big)
        {
            // big.Int's own Formatter reports unknown verbs as %!verb(big.Int=digits).
            sb.Append("big.Int=").Append(arg.Big.ToString(CultureInfo.InvariantCulture)).Append(')');
            return;
        }

        sb.Append(arg.GoTypeName).Append('=');
        FormatArg(sb, arg, new Spec { Verb = 'v' });
        sb.Append(')');
    }

    /// <summary>Writes <paramref name="text"/> padded to the width with spaces (or zeros with the 0 flag).</summary>
    private static void Pad(StringBuilder sb, string text, Spec spec)
    {
        var width = spec.HasWidth ? spec.Width : 0;
        var n = width - StringsText.RuneCount(text);
        if (n <= 0)
        {
            sb.Append(text);
            return;
        }

        if (spec.Minus)
        {
            sb.Append(text).Append(' ', n);
        }
        else
        {
            sb.Append(spec.Zero ? '0' : ' ', n).Append(text);
        }
    }

    private struct ArgState
    {
        public int Count;
        public int ArgNum;
        public bool Reordered;
        public bool Good;
    }

    private struct Spec
    {
        public bool Sharp;
        public bool Zero;
        public bool Plus;
        public bool Minus;
        public bool Space;
        public bool HasWidth;
        public int Width;
        public bool HasPrecision;
        public int Precision;
        public int Verb;
    }
}

/// <summary>The Go type an OPA <c>sprintf</c> operand becomes.</summary>
internal enum SprintfArgKind
{
    Int,
    Big,
    Float,
    String,
}

/// <summary>One operand of <c>sprintf</c> as Go sees it.</summary>
internal readonly record struct SprintfArg(SprintfArgKind Kind, long Int, BigInteger Big, double Float, string? Str)
{
    public string GoTypeName => Kind switch
    {
        SprintfArgKind.Int => "int",
        SprintfArgKind.Big => "*big.Int",
        SprintfArgKind.Float => "float64",
        _ => "string",
    };
}
