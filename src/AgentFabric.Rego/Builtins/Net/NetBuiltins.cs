using System.Net;
using System.Net.Sockets;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Net;

internal static class NetBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        RegoType[] twoStrings = [RegoType.String, RegoType.String];
        var strings = RegoType.SetOf(RegoType.String);
        r.Register("net.cidr_contains", twoStrings, RegoType.Boolean, NetFunctions.Contains);
        r.Register("net.cidr_overlap", twoStrings, RegoType.Boolean, NetFunctions.Contains, BuiltinFlags.Deprecated);
        r.Register("net.cidr_intersects", twoStrings, RegoType.Boolean, NetFunctions.Intersects);
        r.Register("net.cidr_expand", [RegoType.String], strings, NetFunctions.Expand);
        r.Register("net.cidr_is_valid", [RegoType.String], RegoType.Boolean,
            static (_, a) => BooleanValue.Create(a[0] is StringValue s && NetCidr.TryParse(s.Value, out NetCidr _)));
        r.Register("net.cidr_merge", [RegoType.AnyOf(RegoType.ArrayOf(RegoType.AnyOf(RegoType.String)), strings)], strings, NetCidrMerge.Invoke);

        var cidrs = RegoType.AnyOf(
            RegoType.String,
            RegoType.ArrayOf(RegoType.AnyOf(RegoType.String, RegoType.ArrayOf(RegoType.Any))),
            RegoType.ObjectOf(RegoType.String, RegoType.AnyOf(RegoType.String, RegoType.ArrayOf(RegoType.Any))),
            RegoType.SetOf(RegoType.AnyOf(RegoType.String, RegoType.ArrayOf(RegoType.Any))));
        r.Register("net.cidr_contains_matches", [cidrs, cidrs], RegoType.SetOf(RegoType.Tuple(RegoType.Any, RegoType.Any)), NetFunctions.ContainsMatches);
        r.Register("net.lookup_ip_addr", [RegoType.String], strings, NetFunctions.LookupIPAddress, BuiltinFlags.Nondeterministic);
    }
}

/// <summary>The net family: CIDR containment, overlap, expansion and host lookup.</summary>
internal static class NetFunctions
{
    // The most addresses net.cidr_expand produces (a /12); larger networks would exhaust memory long before OPA's
    // own evaluation timeout stops it.
    private const int MaxExpansion = 1 << 20;

    public static Value Contains(BuiltinContext context, ReadOnlySpan<Value> a) =>
        BooleanValue.Create(Contains(NetCidr.Parse(BuiltinArgs.String(a, 0)), a[1]));

    public static Value Intersects(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var x = NetCidr.Parse(BuiltinArgs.String(a, 0));
        var y = NetCidr.Parse(BuiltinArgs.String(a, 1));
        return BooleanValue.Create(x.Contains(y.First) || y.Contains(x.First));
    }

    public static Value Expand(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var cidr = NetCidr.Parse(BuiltinArgs.String(a, 0));
        var size = cidr.Last.Value - cidr.First.Value;
        if (size >= MaxExpansion)
        {
            throw new RegoBuiltinException($"CIDR {BuiltinArgs.String(a, 0)} has too many addresses to expand");
        }

        var b = new SetValue.Builder((int)size + 1);
        for (var v = cidr.First.Value; ; v++)
        {
            if ((v & 0xFFFF) == 0)
            {
                context.ThrowIfCancellationRequested();
            }

            b.Add(StringValue.Create((cidr.First with { Value = v }).ToString()));
            if (v == cidr.Last.Value)
            {
                break;
            }
        }

        return b.ToValue();
    }

    // Every pair [i, j] where the CIDR at key i of operand 1 contains the CIDR or address at key j of operand 2.
    // An operand is a string (its key is itself), or an array, set or object whose elements are strings or arrays
    // whose first element is the CIDR (keys: index, the element, the object key).
    public static Value ContainsMatches(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var left = MatchOperand(a[0], 1);
        var right = MatchOperand(a[1], 2);
        var result = new SetValue.Builder();
        if (right.Count == 0)
        {
            // Nothing to match: OPA never reads the networks then, so a malformed one is no error.
            return SetValue.Empty;
        }

        foreach (var (cidr, key) in left)
        {
            var network = NetCidr.Parse(cidr is StringValue s ? s.Value : throw BuiltinArgs.TypeMismatch(0, cidr, "string"));
            foreach (var (target, targetKey) in right)
            {
                if (Contains(network, target))
                {
                    result.Add(ArrayValue.Create(key, targetKey));
                }
            }
        }

        return result.ToValue();
    }

    // Literal addresses answer without a lookup; names go to the operating system's resolver.
    public static Value LookupIPAddress(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var name = BuiltinArgs.String(a, 0);
        if (NetAddress.TryParse(name, out var literal))
        {
            return SetValue.Create(StringValue.Create(literal.ToString()));
        }

        var cacheKey = ("net.lookup_ip_addr", name);
        if (context.Cache.TryGetValue(cacheKey, out var cached) && cached is SetValue previous)
        {
            return previous;
        }

        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddressesAsync(name, context.CancellationToken).GetAwaiter().GetResult();
        }
        catch (SocketException e)
        {
            throw new RegoBuiltinException($"lookup {name}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new RegoBuiltinException($"lookup {name}: {e.Message}", e);
        }

        var b = new SetValue.Builder();
        foreach (var address in addresses)
        {
            if (NetAddress.TryParse(address.ToString().Split('%')[0], out var parsed))
            {
                b.Add(StringValue.Create(parsed.ToString()));
            }
        }

        var result = b.ToValue();
        context.Cache[cacheKey] = result;
        return result;
    }

    // Operand 2 may be an address or a network; a network is contained when its first and last addresses are.
    private static bool Contains(NetCidr network, Value target)
    {
        // OPA reports a non-string operand 2 as "operand 1".
        var text = target is StringValue s ? s.Value : throw BuiltinArgs.TypeMismatch(0, target, "string");
        if (NetAddress.TryParse(text, out var ip))
        {
            return network.Contains(ip);
        }

        if (!NetCidr.TryParse(text, out var inner))
        {
            throw new RegoBuiltinException($"not a valid textual representation of an IP address or CIDR: {text}");
        }

        return network.Contains(inner.First) && network.Contains(inner.Last);
    }

    private static List<(Value Cidr, Value Key)> MatchOperand(Value operand, int position)
    {
        var items = new List<(Value, Value)>();
        switch (operand)
        {
            case StringValue:
                items.Add((operand, operand));
                break;
            case ArrayValue arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    items.Add((MatchCidr(arr[i], position), NumberValue.Create(i)));
                }

                break;
            case SetValue set:
                foreach (var item in set)
                {
                    items.Add((MatchCidr(item, position), item));
                }

                break;
            case ObjectValue obj:
                foreach (var (k, v) in obj)
                {
                    items.Add((MatchCidr(v, position), k));
                }

                break;
        }

        return items;
    }

    private static Value MatchCidr(Value element, int position) => element switch
    {
        StringValue => element,
        ArrayValue { Count: > 0 } tuple => tuple[0],
        _ => throw new RegoBuiltinException($"operand {position}: element must be string or non-empty array"),
    };
}
