namespace AgentFabric.Rego.Values;

/// <summary>Compares strings in UTF-8 byte order (Go's string order) without encoding them.</summary>
internal static class Utf8Order
{
    public static int Compare(string a, string b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        // Most strings that differ do so at their first unit.
        if (a.Length != 0 && b.Length != 0 && a[0] != b[0])
        {
            return Fix(a[0]).CompareTo(Fix(b[0]));
        }

        var n = Math.Min(a.Length, b.Length);
        var i = a.AsSpan(0, n).CommonPrefixLength(b.AsSpan(0, n));
        if (i == n)
        {
            return a.Length.CompareTo(b.Length);
        }

        return Fix(a[i]).CompareTo(Fix(b[i]));
    }

    // UTF-16 order differs from code point (= UTF-8) order only where surrogates (D800-DFFF, code points above
    // FFFF) meet E000-FFFF: shift so surrogates sort above every BMP unit.
    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
