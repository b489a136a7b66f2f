namespace AgentFabric.Rego.Builtins.Tokens;

/// <summary>One PEM block (RFC 7468): its label and decoded bytes. <see cref="Decode"/> finds the first block
/// anywhere in the text, like Go's <c>pem.Decode</c>, and returns what follows its end line, so callers can reject
/// trailing data or read further blocks as OPA does.</summary>
internal sealed record PemBlock(string Type, byte[] Bytes)
{
    private const string Begin = "-----BEGIN ";
    private const string End = "-----END ";

    /// <summary>The first well-formed block in <paramref name="text"/> and the text after it, or null when there
    /// is none.</summary>
    public static PemBlock? Decode(string text, out string rest)
    {
        rest = text;
        var search = 0;
        while (true)
        {
            var start = text.IndexOf(Begin, search, StringComparison.Ordinal);
            if (start < 0)
            {
                return null;
            }

            // RFC 7468 §2: the label ends with five dashes on the same line.
            var typeStart = start + Begin.Length;
            var lineEnd = LineEnd(text, typeStart);
            var line = text[typeStart..lineEnd].TrimEnd();
            search = typeStart;
            if (!line.EndsWith("-----", StringComparison.Ordinal))
            {
                continue;
            }

            var type = line[..^5];
            var bodyStart = Math.Min(text.Length, lineEnd + 1);
            var endMarker = "\n" + End + type + "-----";
            var endAt = text.IndexOf(endMarker, bodyStart - 1, StringComparison.Ordinal);
            if (endAt < 0)
            {
                continue;
            }

            var body = text[bodyStart..Math.Max(bodyStart, endAt)];
            if (body.Contains(':', StringComparison.Ordinal))
            {
                // RFC 1421 headers precede a blank line; the base64 follows it.
                var blank = body.IndexOf("\n\n", StringComparison.Ordinal);
                body = blank >= 0 ? body[(blank + 2)..] : body;
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(new string(body.Where(c => !char.IsWhiteSpace(c)).ToArray()));
            }
            catch (FormatException)
            {
                continue;
            }

            var after = endAt + endMarker.Length;
            rest = text[Math.Min(text.Length, LineEnd(text, after) + 1)..];
            return new PemBlock(type, bytes);
        }
    }

    private static int LineEnd(string text, int from)
    {
        var i = text.IndexOf('\n', from);
        return i < 0 ? text.Length : i;
    }
}
