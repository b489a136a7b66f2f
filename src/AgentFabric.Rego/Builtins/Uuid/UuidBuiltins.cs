using System.Buffers.Binary;
using System.Globalization;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Uuid;

internal static class UuidBuiltins
{
    // 100-nanosecond intervals between the Gregorian epoch (1582-10-15) and the Unix epoch (RFC 4122 §4.1.4).
    private const long UuidGregorianToUnix100Ns = 122_192_928_000_000_000;

    internal static void Register(BuiltinRegistry r)
    {
        r.Register("uuid.rfc4122", [RegoType.String], RegoType.String, UuidRfc4122, BuiltinFlags.Nondeterministic);
        r.Register("uuid.parse", [RegoType.String], RegoType.ObjectOf(RegoType.String, RegoType.Any), static (_, a) =>
            UuidText.TryParse(BuiltinArgs.String(a, 0), out var bytes) ? UuidDescription(bytes) : null);
    }

    // A random version 4 UUID; the same seed gives the same UUID within one evaluation.
    private static Value UuidRfc4122(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var seed = BuiltinArgs.String(a, 0);
        var key = ("uuid.rfc4122", seed);
        if (context.Cache.TryGetValue(key, out var cached) && cached is Value v)
        {
            return v;
        }

        var bytes = new byte[16];
        context.Random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0f) | 0x40); // RFC 4122 §4.4: version 4
        bytes[8] = (byte)((bytes[8] & 0x3f) | 0x80); // variant 10
        var result = StringValue.Create(UuidText.Format(bytes));
        context.Cache[key] = result;
        return result;
    }

    // Version and variant always; time-based versions 1 and 2 add the timestamp (Unix ns), clock sequence and node
    // (RFC 4122 §4.1); version 2 (DCE security) adds the local domain and id.
    private static ObjectValue UuidDescription(byte[] u)
    {
        var b = new ObjectValue.Builder();
        var version = u[6] >> 4;
        b.Set("version", NumberValue.Create(version));
        b.Set("variant", StringValue.Create((u[8] & 0xc0) == 0x80 ? "RFC4122" : (u[8] & 0xe0) == 0xc0 ? "Microsoft" : (u[8] & 0xe0) == 0xe0 ? "Future" : "Reserved"));
        if (version is 1 or 2)
        {
            long low = BinaryPrimitives.ReadUInt32BigEndian(u.AsSpan(0, 4));
            long mid = BinaryPrimitives.ReadUInt16BigEndian(u.AsSpan(4, 2));
            long hi = BinaryPrimitives.ReadUInt16BigEndian(u.AsSpan(6, 2)) & 0xfff;
            var t = (low | (mid << 32) | (hi << 48)) - UuidGregorianToUnix100Ns;
            b.Set("time", NumberValue.Create((t / 10_000_000 * 1_000_000_000) + (t % 10_000_000 * 100)));
            b.Set("clocksequence", NumberValue.Create(BinaryPrimitives.ReadUInt16BigEndian(u.AsSpan(8, 2)) & 0x3fff));
            b.Set("nodeid", StringValue.Create(string.Join('-', u[10..16].Select(x => x.ToString("x2", CultureInfo.InvariantCulture)))));
            b.Set("macvariables", StringValue.Create(((u[10] & 0x02) != 0 ? "local" : "global") + ":" + ((u[10] & 0x01) != 0 ? "multicast" : "unicast")));
        }

        if (version == 2)
        {
            b.Set("domain", StringValue.Create(u[9] switch
            {
                0 => "Person",
                1 => "Group",
                2 => "Org",
                _ => "Domain" + u[9].ToString(CultureInfo.InvariantCulture),
            }));
            b.Set("id", NumberValue.Create(BinaryPrimitives.ReadUInt32BigEndian(u.AsSpan(0, 4))));
        }

        return b.ToValue();
    }
}
