namespace AgentFabric.Rego.GoCompat;

/// <summary>base64 decoding with the error offsets of Go's decoder (<c>illegal base64 data at input byte 13</c>),
/// which OPA's error messages embed. Line breaks are skipped.</summary>
internal static class GoBase64
{
    /// <summary>base64url (RFC 4648 §5) as OPA's <c>base64url.decode</c>: padded input when the length is a multiple
    /// of four, unpadded otherwise.</summary>
    public static bool TryDecodeUrl(string text, out byte[] bytes, out string error) =>
        TryDecode(text, url: true, padded: text.Length % 4 == 0, out bytes, out error);

    /// <summary>Standard base64 (RFC 4648 §4) with required padding.</summary>
    public static bool TryDecodeStd(string text, out byte[] bytes, out string error) =>
        TryDecode(text, url: false, padded: true, out bytes, out error);

    private static bool TryDecode(string text, bool url, bool padded, out byte[] bytes, out string error)
    {
        var output = new List<byte>(text.Length * 3 / 4);
        var quantum = new int[4];
        var n = 0;
        var i = 0;
        error = "";
        bytes = [];
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '\r' or '\n')
            {
                i++;
                continue;
            }

            if (c == '=' && padded)
            {
                // RFC 4648 §3.2: padding completes the final quantum and nothing may follow it.
                if (n < 2)
                {
                    error = Illegal(i);
                    return false;
                }

                var needed = 4 - n;
                var j = i;
                for (var k = 0; k < needed; k++)
                {
                    while (j < text.Length && text[j] is '\r' or '\n')
                    {
                        j++;
                    }

                    if (j >= text.Length || text[j] != '=')
                    {
                        // Missing padding is reported at the end, a wrong character just before it (Go's offsets).
                        error = Illegal(j >= text.Length ? text.Length : j - 1);
                        return false;
                    }

                    j++;
                }

                while (j < text.Length && text[j] is '\r' or '\n')
                {
                    j++;
                }

                if (j < text.Length)
                {
                    error = Illegal(j);
                    return false;
                }

                Flush(quantum, n, output);
                bytes = [.. output];
                return true;
            }

            var v = Value(c, url);
            if (v < 0)
            {
                error = Illegal(i);
                return false;
            }

            quantum[n++] = v;
            if (n == 4)
            {
                Flush(quantum, 4, output);
                n = 0;
            }

            i++;
        }

        if (n == 1 || (padded && n != 0))
        {
            error = Illegal(text.Length - n);
            return false;
        }

        Flush(quantum, n, output);
        bytes = [.. output];
        return true;
    }

    public static string EncodeUrl(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Illegal(int offset) => $"illegal base64 data at input byte {offset}";

    private static void Flush(int[] q, int n, List<byte> output)
    {
        if (n >= 2)
        {
            output.Add((byte)((q[0] << 2) | (q[1] >> 4)));
        }

        if (n >= 3)
        {
            output.Add((byte)((q[1] << 4) | (q[2] >> 2)));
        }

        if (n == 4)
        {
            output.Add((byte)((q[2] << 6) | q[3]));
        }
    }

    private static int Value(char c, bool url) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' when url => 62,
        '_' when url => 63,
        '+' when !url => 62,
        '/' when !url => 63,
        _ => -1,
    };
}
