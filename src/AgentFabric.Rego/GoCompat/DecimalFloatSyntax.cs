namespace AgentFabric.Rego.GoCompat;

/// <summary>The decimal float syntax shared by Go's <c>strconv.ParseFloat</c> (for <c>to_number</c>) and YAML 1.1's
/// float scalars: <c>[-+]?(digits(.digits?)?|.digits)([eE][-+]?digits)?</c>. Checked before <c>double.TryParse</c>,
/// which also accepts forms neither allows (thousands separators, "Infinity", hex).</summary>
internal static class DecimalFloatSyntax
{
    public static bool IsMatch(string s)
    {
        var i = 0;
        if (i < s.Length && s[i] is '+' or '-')
        {
            i++;
        }

        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            digits++;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == s.Length;
    }
}
