using System.Security.Cryptography;

namespace AgentFabric.Authorization;

/// <summary>
/// Random UUIDs (version 4, RFC 9562 §5.4) for decision ids, as OPA makes them, drawn from a per-thread buffer of
/// cryptographically random bytes: one call to the system's random source per 256 ids instead of one per decision
/// (that call dominated a cached decision's cost). Bytes handed out are wiped from the buffer.
/// </summary>
internal static class DecisionIds
{
    private const int UuidBytes = 16;
    private const int IdsPerRefill = 256;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static int t_used;

    public static string NewUuid()
    {
        var buffer = t_buffer;
        if (buffer is null)
        {
            buffer = t_buffer = new byte[UuidBytes * IdsPerRefill];
            t_used = buffer.Length;
        }

        if (t_used == buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            t_used = 0;
        }

        Span<byte> bytes = stackalloc byte[UuidBytes];
        var next = buffer.AsSpan(t_used, UuidBytes);
        next.CopyTo(bytes);
        next.Clear();
        t_used += UuidBytes;
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // variant 10 (RFC 9562 §4.1)
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
