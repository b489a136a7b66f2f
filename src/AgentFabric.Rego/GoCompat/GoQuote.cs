using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.GoCompat;

/// <summary>Quotes a string the way Go's <c>strconv.Quote</c> does, which is how OPA prints string terms; error
/// messages and <c>sprintf("%v")</c> output depend on the exact escapes.</summary>
internal static class GoQuote
{
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        Append(sb, value);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, string value)
    {
        sb.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }

            if (c < 0x80)
            {
                if (c < 0x20 || c == 0x7f)
                {
                    sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var cp = char.ConvertToUtf32(c, value[i + 1]);
                if (IsPrint(CharUnicodeInfo.GetUnicodeCategory(cp)))
                {
                    sb.Append(c).Append(value[i + 1]);
                }
                else
                {
                    sb.Append("\\U").Append(cp.ToString("x8", CultureInfo.InvariantCulture));
                }

                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                // A lone surrogate is invalid UTF-8 in Go, which prints the replacement character's escape.
                sb.Append("\\ufffd");
                continue;
            }

            if (IsPrint(CharUnicodeInfo.GetUnicodeCategory(c)))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        sb.Append('"');
    }

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space only.
    private static bool IsPrint(UnicodeCategory category) => category switch
    {
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
        _ => true,
    };
}
