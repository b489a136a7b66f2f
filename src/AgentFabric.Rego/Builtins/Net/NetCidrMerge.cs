using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Net;

/// <summary><c>net.cidr_merge</c>: the smallest list of networks covering the given addresses and networks. A bare
/// IPv4 address stands for its classful network (Go's <c>DefaultMask</c>: /8, /16 or /24); a bare IPv6 address is
/// an error. Both families are merged in one address space (IPv4 as ::ffff:a.b.c.d).</summary>
internal static class NetCidrMerge
{
    public static Value Invoke(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        ReadOnlySpan<Value> items = a[0] switch
        {
            ArrayValue x => x.Items,
            SetValue s => s.Items,
            _ => throw new RegoBuiltinException("operand must be an array"),
        };

        var ranges = new List<Block>(items.Length);
        foreach (var item in items)
        {
            var network = ToNetwork(item);
            ranges.Add(new Block(network.First.Unified, network.Last.Unified, network));
        }

        // Sort by last address then first, and fold each range into its predecessor when they touch or overlap.
        ranges.Sort(static (x, y) => x.Last != y.Last ? x.Last.CompareTo(y.Last) : x.First.CompareTo(y.First));
        for (var i = ranges.Count - 1; i > 0; i--)
        {
            var current = ranges[i];
            var previous = ranges[i - 1];
            var before = current.First == 0 || current.First == ((UInt128)0xFFFF << 32) ? current.First : current.First - 1;
            if (before <= previous.Last)
            {
                ranges[i - 1] = new Block(UInt128.Min(previous.First, current.First), current.Last, null);
                ranges.RemoveAt(i);
            }
        }

        var result = new SetValue.Builder();
        foreach (var block in ranges)
        {
            if (block.Network is { } unchanged)
            {
                result.Add(StringValue.Create(unchanged.ToString()));
                continue;
            }

            foreach (var cidr in Split(block.First, block.Last))
            {
                result.Add(StringValue.Create(cidr.ToString()));
            }
        }

        return result.ToValue();
    }

    private static NetCidr ToNetwork(Value item)
    {
        if (item is not StringValue { Value: var text })
        {
            throw new RegoBuiltinException("element must be string");
        }

        if (!NetAddress.TryParse(text, out var ip))
        {
            var parsed = NetCidr.Parse(text);
            return new NetCidr(parsed.First, parsed.Prefix);
        }

        if (!ip.IsV4)
        {
            throw new RegoBuiltinException("IPv6 invalid: needs prefix length");
        }

        // Classful default mask (RFC 791 address classes), the address itself left unmasked as Go prints it.
        var top = (uint)ip.Value >> 24;
        var prefix = top < 0x80 ? 8 : top < 0xC0 ? 16 : 24;
        return new NetCidr(ip, prefix);
    }

    // The minimal networks exactly covering [first, last] (in the unified space).
    private static IEnumerable<NetCidr> Split(UInt128 first, UInt128 last)
    {
        var v4 = first >> 32 == 0xFFFF && last >> 32 == 0xFFFF;
        var bits = v4 ? 32 : 128;
        var start = v4 ? first & uint.MaxValue : first;
        var end = v4 ? last & uint.MaxValue : last;
        while (true)
        {
            // The largest aligned block starting at start that stays within end.
            var size = 0;
            while (size < bits && ((start >> size) & 1) == 0 && size + 1 <= bits)
            {
                var candidateLast = start | ((UInt128.One << (size + 1)) - 1);
                if (size + 1 == 128 ? end != UInt128.MaxValue : candidateLast > end)
                {
                    break;
                }

                size++;
            }

            yield return new NetCidr(new NetAddress(v4, start), bits - size);
            var blockLast = size == 128 ? UInt128.MaxValue : start | ((UInt128.One << size) - 1);
            if (blockLast >= end)
            {
                yield break;
            }

            start = blockLast + 1;
        }
    }

    private sealed record Block(UInt128 First, UInt128 Last, NetCidr? Network);
}
