using System.Globalization;

namespace AgentFabric.Rego.Builtins.Net;

/// <summary>A network as Go's <c>net.ParseCIDR</c> reads it (<c>addr/prefix</c>, the address as
/// <see cref="NetAddress"/>, the prefix 0-32 or 0-128 in decimal). <see cref="Address"/> keeps the address as written
/// for printing; the network itself is <see cref="First"/>..<see cref="Last"/>.</summary>
internal readonly record struct NetCidr(NetAddress Address, int Prefix)
{
    public NetAddress First => Address with { Value = Address.Value & Mask };

    public NetAddress Last => Address with { Value = (Address.Value & Mask) | (~Mask & WidthMask) };

    private UInt128 WidthMask => Address.IsV4 ? uint.MaxValue : UInt128.MaxValue;

    private UInt128 Mask => Prefix == 0 ? UInt128.Zero : (WidthMask << (Address.Bits - Prefix)) & WidthMask;

    public static bool TryParse(string text, out NetCidr cidr)
    {
        cidr = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !NetAddress.TryParse(text[..slash], out var address))
        {
            return false;
        }

        var digits = text.AsSpan(slash + 1);
        if (digits.IsEmpty || digits.Length > 3 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return false;
        }

        // An IPv4-mapped IPv6 network with a /96 or longer prefix is the IPv4 network it maps.
        var mapped = text[..slash].Contains(':', StringComparison.Ordinal) && address.IsV4;
        if (mapped)
        {
            if (prefix < 96 || prefix > 128)
            {
                address = new NetAddress(false, address.Unified);
            }
            else
            {
                prefix -= 96;
            }
        }

        if (prefix > address.Bits)
        {
            return false;
        }

        cidr = new NetCidr(address, prefix);
        return true;
    }

    /// <summary>Parses or throws Go's error text, <c>invalid CIDR address: TEXT</c>.</summary>
    public static NetCidr Parse(string text) =>
        TryParse(text, out var cidr) ? cidr : throw new RegoBuiltinException($"invalid CIDR address: {text}");

    public bool Contains(NetAddress ip) => ip.IsV4 == Address.IsV4 && (ip.Value & Mask) == First.Value;

    /// <summary>The network in Go's <c>IPNet.String</c> form: the masked address and the prefix length.</summary>
    public string NetworkText => $"{First}/{Prefix.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Address and prefix as held (Go prints an <c>IPNet</c> without masking its address).</summary>
    public override string ToString() => $"{Address}/{Prefix.ToString(CultureInfo.InvariantCulture)}";
}
