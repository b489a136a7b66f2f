using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.GoCompat;

// Character classes as .NET text: code point ranges, complemented and split around the surrogate range.
internal sealed partial class RegexRe2Translator
{
    private static List<(int Lo, int Hi)> Normalize(IEnumerable<(int Lo, int Hi)> ranges)
    {
        var sorted = ranges.OrderBy(r => r.Lo).ToList();
        var merged = new List<(int Lo, int Hi)>();
        foreach (var r in sorted)
        {
            if (merged.Count > 0 && r.Lo <= merged[^1].Hi + 1)
            {
                merged[^1] = (merged[^1].Lo, Math.Max(merged[^1].Hi, r.Hi));
            }
            else
            {
                merged.Add(r);
            }
        }

        return merged;
    }

    private static (int Lo, int Hi)[] Complement(IEnumerable<(int Lo, int Hi)> ranges)
    {
        var result = new List<(int Lo, int Hi)>();
        var next = 0;
        foreach (var (lo, hi) in Normalize(ranges))
        {
            if (lo > next)
            {
                result.Add((next, lo - 1));
            }

            next = hi + 1;
        }

        if (next <= 0x10FFFF)
        {
            result.Add((next, 0x10FFFF));
        }

        return [.. result];
    }

    // .NET classes hold UTF-16 units, so code points above U+FFFF become surrogate-pair alternatives, tried first
    // so a pair is never split. A negated class with \p fragments stays a .NET negated class.
    private static string EmitClass(IEnumerable<(int Lo, int Hi)> input, List<string> fragments, bool negate)
    {
        var ranges = Normalize(input);
        if (negate && fragments.Count > 0)
        {
            var neg = new StringBuilder("(?:" + AstralPair + "|[^");
            foreach (var (lo, hi) in ranges.Where(r => r.Lo <= 0xFFFF))
            {
                AppendRange(neg, lo, Math.Min(hi, 0xFFFF));
            }

            return neg.Append(string.Concat(fragments)).Append("])").ToString();
        }

        if (negate)
        {
            ranges = Normalize(Complement(ranges));
        }

        var alternatives = new List<string>();
        foreach (var (lo, hi) in ranges.Where(r => r.Hi >= 0x10000))
        {
            AstralAlternatives(Math.Max(lo, 0x10000), hi, alternatives);
        }

        var bmp = new StringBuilder();
        foreach (var (lo, hi) in ranges.Where(r => r.Lo <= 0xFFFF))
        {
            // Lone surrogates never occur in valid text; leaving them out keeps pairs whole.
            var h = Math.Min(hi, 0xFFFF);
            if (lo < 0xD800 && h >= 0xD800)
            {
                AppendRange(bmp, lo, 0xD7FF);
                if (h > 0xDFFF)
                {
                    AppendRange(bmp, 0xE000, h);
                }
            }
            else if (lo > 0xDFFF || h < 0xD800)
            {
                AppendRange(bmp, lo, h);
            }
            else if (h > 0xDFFF)
            {
                AppendRange(bmp, 0xE000, h);
            }
        }

        foreach (var f in fragments)
        {
            bmp.Append(f);
        }

        if (bmp.Length > 0)
        {
            alternatives.Add("[" + bmp + "]");
        }

        return alternatives.Count switch
        {
            0 => "[^\\s\\S]",
            1 => alternatives[0],
            _ => "(?:" + string.Join('|', alternatives) + ")",
        };
    }

    private static void AppendRange(StringBuilder sb, int lo, int hi)
    {
        sb.Append("\\u").Append(lo.ToString("x4", CultureInfo.InvariantCulture));
        if (hi != lo)
        {
            sb.Append("-\\u").Append(hi.ToString("x4", CultureInfo.InvariantCulture));
        }
    }

    private static void AstralAlternatives(int lo, int hi, List<string> alternatives)
    {
        var loText = char.ConvertFromUtf32(lo);
        var hiText = char.ConvertFromUtf32(hi);
        static string U(char c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture);
        if (loText[0] == hiText[0])
        {
            alternatives.Add(U(loText[0]) + "[" + U(loText[1]) + "-" + U(hiText[1]) + "]");
            return;
        }

        alternatives.Add(U(loText[0]) + "[" + U(loText[1]) + "-\\udfff]");
        if (hiText[0] - loText[0] > 1)
        {
            alternatives.Add("[" + U((char)(loText[0] + 1)) + "-" + U((char)(hiText[0] - 1)) + "][\\udc00-\\udfff]");
        }

        alternatives.Add(U(hiText[0]) + "[\\udc00-" + U(hiText[1]) + "]");
    }
}
