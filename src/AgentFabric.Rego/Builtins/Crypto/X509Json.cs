using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Crypto;

/// <summary>Writes parsed X.509 data in the JSON shape OPA returns: the exported fields of Go's
/// <c>x509.Certificate</c> and <c>pkix.Name</c>, with byte strings as standard base64, nil lists as null and
/// times in RFC 3339.</summary>
internal static partial class X509Json
{
    internal static Value Bytes(ReadOnlySpan<byte> b) => StringValue.Create(Convert.ToBase64String(b));

    internal static Value Strings(List<string> list) =>
        list.Count == 0 ? NullValue.Instance : ArrayValue.CreateRange(list.Select(s => (Value)StringValue.Create(s)));

    internal static Value Big(ReadOnlySpan<byte> unsignedBigEndian) =>
        NumberValue.Create(new BigInteger(unsignedBigEndian, isUnsigned: true, isBigEndian: true));

    internal static Value Oid(string oid) =>
        ArrayValue.CreateRange(oid.Split('.').Select(p => (Value)NumberValue.Create(long.Parse(p, CultureInfo.InvariantCulture))));

    internal static Value Time(DateTimeOffset t) =>
        StringValue.Create(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + FractionalSeconds(t) + "Z");

    private static string FractionalSeconds(DateTimeOffset t)
    {
        var ticks = t.UtcTicks % TimeSpan.TicksPerSecond;
        return ticks == 0 ? "" : "." + ticks.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    /// <summary>A distinguished name (RFC 5280 §4.1.2.4) as Go's <c>pkix.Name</c>.</summary>
    internal static ObjectValue Name(ReadOnlyMemory<byte> rdnSequence)
    {
        var country = new List<string>();
        var org = new List<string>();
        var unit = new List<string>();
        var locality = new List<string>();
        var province = new List<string>();
        var street = new List<string>();
        var postal = new List<string>();
        string serial = "", common = "";
        var names = new List<Value>();
        var reader = new AsnReader(rdnSequence, AsnEncodingRules.DER).ReadSequence();
        while (reader.HasData)
        {
            var set = reader.ReadSetOf(skipSortOrderValidation: true);
            while (set.HasData)
            {
                var atv = set.ReadSequence();
                var type = atv.ReadObjectIdentifier();
                var tag = atv.PeekTag();
                string? value = tag.TagClass == TagClass.Universal && IsStringTag((UniversalTagNumber)tag.TagValue)
                    ? atv.ReadCharacterString((UniversalTagNumber)tag.TagValue)
                    : null;
                if (value is null)
                {
                    atv.ReadEncodedValue();
                }

                names.Add(ObjectValue.Create(("Type", Oid(type)), ("Value", value is null ? NullValue.Instance : StringValue.Create(value))));
                if (value is null)
                {
                    continue;
                }

                switch (type)
                {
                    case "2.5.4.3": common = value; break;
                    case "2.5.4.5": serial = value; break;
                    case "2.5.4.6": country.Add(value); break;
                    case "2.5.4.7": locality.Add(value); break;
                    case "2.5.4.8": province.Add(value); break;
                    case "2.5.4.9": street.Add(value); break;
                    case "2.5.4.10": org.Add(value); break;
                    case "2.5.4.11": unit.Add(value); break;
                    case "2.5.4.17": postal.Add(value); break;
                }
            }
        }

        return ObjectValue.Create(
            ("Country", Strings(country)),
            ("Organization", Strings(org)),
            ("OrganizationalUnit", Strings(unit)),
            ("Locality", Strings(locality)),
            ("Province", Strings(province)),
            ("StreetAddress", Strings(street)),
            ("PostalCode", Strings(postal)),
            ("SerialNumber", StringValue.Create(serial)),
            ("CommonName", StringValue.Create(common)),
            ("Names", names.Count == 0 ? NullValue.Instance : ArrayValue.CreateRange(names)),
            ("ExtraNames", NullValue.Instance));
    }

    private static bool IsStringTag(UniversalTagNumber t) => t is UniversalTagNumber.UTF8String or UniversalTagNumber.PrintableString
        or UniversalTagNumber.IA5String or UniversalTagNumber.T61String or UniversalTagNumber.BMPString
        or UniversalTagNumber.UniversalString or UniversalTagNumber.NumericString or UniversalTagNumber.VisibleString;

    // Go's x509.SignatureAlgorithm numbering.
    internal static int SignatureAlgorithm(string oid) => oid switch
    {
        "1.2.840.113549.1.1.2" => 1,
        "1.2.840.113549.1.1.4" => 2,
        "1.2.840.113549.1.1.5" => 3,
        "1.2.840.113549.1.1.11" => 4,
        "1.2.840.113549.1.1.12" => 5,
        "1.2.840.113549.1.1.13" => 6,
        "1.2.840.10040.4.3" => 7,
        "2.16.840.1.101.3.4.3.2" => 8,
        "1.2.840.10045.4.1" => 9,
        "1.2.840.10045.4.3.2" => 10,
        "1.2.840.10045.4.3.3" => 11,
        "1.2.840.10045.4.3.4" => 12,
        "1.2.840.113549.1.1.10" => 13,
        "1.3.101.112" => 16,
        _ => 0,
    };

    // Go's x509.PublicKeyAlgorithm numbering.
    internal static int PublicKeyAlgorithm(string oid) => oid switch
    {
        "1.2.840.113549.1.1.1" => 1,
        "1.2.840.10040.4.1" => 2,
        "1.2.840.10045.2.1" => 3,
        "1.3.101.112" => 4,
        _ => 0,
    };

    /// <summary>The public key of a SubjectPublicKeyInfo as Go marshals it: RSA <c>{N, E}</c>, ECDSA
    /// <c>{Curve, X, Y}</c>, Ed25519 as base64 bytes.</summary>
    internal static Value PublicKey(ReadOnlyMemory<byte> spki)
    {
        var seq = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence();
        var alg = seq.ReadSequence();
        var oid = alg.ReadObjectIdentifier();
        string? curve = alg.HasData && alg.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier) ? alg.ReadObjectIdentifier() : null;
        var key = seq.ReadBitString(out _);
        switch (oid)
        {
            case "1.2.840.113549.1.1.1":
            {
                var rsa = new AsnReader(key, AsnEncodingRules.DER).ReadSequence();
                var n = rsa.ReadInteger();
                var e = rsa.ReadInteger();
                return ObjectValue.Create(("N", NumberValue.Create(n)), ("E", NumberValue.Create(e)));
            }

            case "1.2.840.10045.2.1" when key.Length > 1 && key[0] == 4:
            {
                var size = (key.Length - 1) / 2;
                var name = curve switch
                {
                    "1.2.840.10045.3.1.7" => "P-256",
                    "1.3.132.0.34" => "P-384",
                    "1.3.132.0.35" => "P-521",
                    "1.3.132.0.33" => "P-224",
                    _ => "",
                };
                return ObjectValue.Create(
                    ("Curve", ObjectValue.Create(("Name", StringValue.Create(name)), ("BitSize", NumberValue.Create(name.Length > 2 ? int.Parse(name[2..], CultureInfo.InvariantCulture) : 0)))),
                    ("X", Big(key.AsSpan(1, size))),
                    ("Y", Big(key.AsSpan(1 + size, size))));
            }

            default:
                return Bytes(key);
        }
    }
}
