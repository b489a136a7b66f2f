namespace AgentFabric.Rego.Builtins.Encodings;

/// <summary>Go's padded base64 (<c>base64.StdEncoding</c> / <c>URLEncoding</c>) decoding, strict about padding
/// and reporting the offset of the first bad byte as Go's <c>CorruptInputError</c> does; CR and LF are ignored.</summary>
internal static class EncodingBase64
{
    public static string ToUrl(string standard) => standard.Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string s, bool url, out byte[] bytes, out int errorAt)
    {
        var output = new List<byte>(s.Length * 3 / 4);
        bytes = [];
        errorAt = 0;
        var quantum = new int[4];
        var n = 0;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is '\r' or '\n')
            {
                i++;
                continue;
            }

            if (c == '=')
            {
                // Padding: only in positions 2 or 3 of a quantum, and nothing but padding/newlines afterwards.
                if (n < 2)
                {
                    errorAt = i;
                    return false;
                }

                var needed = 4 - n;
                var j = i;
                while (needed > 0 && j < s.Length)
                {
                    if (s[j] is '\r' or '\n')
                    {
                        j++;
                        continue;
                    }

                    if (s[j] != '=')
                    {
                        errorAt = j;
                        return false;
                    }

                    needed--;
                    j++;
                }

                if (needed > 0)
                {
                    errorAt = s.Length;
                    return false;
                }

                while (j < s.Length && s[j] is '\r' or '\n')
                {
                    j++;
                }

                if (j < s.Length)
                {
                    errorAt = j;
                    return false;
                }

                Flush(output, quantum, n);
                bytes = [.. output];
                return true;
            }

            var v = Decode(c, url);
            if (v < 0)
            {
                errorAt = i;
                return false;
            }

            quantum[n++] = v;
            if (n == 4)
            {
                Flush(output, quantum, 4);
                n = 0;
            }

            i++;
        }

        if (n != 0)
        {
            errorAt = s.Length - n;
            return false;
        }

        bytes = [.. output];
        return true;
    }

    private static void Flush(List<byte> output, int[] q, int n)
    {
        var value = (q[0] << 18) | (q[1] << 12) | (n > 2 ? q[2] << 6 : 0) | (n > 3 ? q[3] : 0);
        output.Add((byte)(value >> 16));
        if (n > 2)
        {
            output.Add((byte)(value >> 8));
        }

        if (n > 3)
        {
            output.Add((byte)value);
        }
    }

    private static int Decode(char c, bool url) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' when !url => 62,
        '/' when !url => 63,
        '-' when url => 62,
        '_' when url => 63,
        _ => -1,
    };
}
