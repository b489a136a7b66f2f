using System.Formats.Asn1;
using System.Net;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Crypto;

internal static partial class X509Json
{
    /// <summary>The extensions Go decodes into certificate fields (RFC 5280 §4.2).</summary>
    internal sealed partial class CertificateExtensions
    {
        private readonly List<Value> _all = [];
        private readonly List<string> _dns = [];
        private readonly List<string> _emails = [];
        private readonly List<string> _ips = [];
        private readonly List<string> _uris = [];
        private readonly List<string> _ocsp = [];
        private readonly List<string> _issuers = [];
        private readonly List<string> _crl = [];
        private readonly List<Value> _policies = [];
        private readonly List<Value> _extKeyUsage = [];
        private readonly List<Value> _unknownExtKeyUsage = [];
        private int _keyUsage;
        private bool _basicValid;
        private bool _isCa;
        private int _maxPathLen = -1;
        private byte[]? _ski;
        private byte[]? _aki;

        public void Read(AsnReader extensions)
        {
            while (extensions.HasData)
            {
                var e = extensions.ReadSequence();
                var id = e.ReadObjectIdentifier();
                var critical = e.HasData && e.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && e.ReadBoolean();
                var value = e.ReadOctetString();
                _all.Add(ObjectValue.Create(("Id", Oid(id)), ("Critical", BooleanValue.Create(critical)), ("Value", Bytes(value))));
                Decode(id, value, critical);
            }
        }

        private void Decode(string id, byte[] value, bool critical)
        {
            var r = new AsnReader(value, AsnEncodingRules.DER);
            switch (id)
            {
                case "2.5.29.17":
                    GeneralNames(r.ReadSequence());
                    break;
                case "2.5.29.19":
                {
                    // §4.2.1.9 basic constraints.
                    var s = r.ReadSequence();
                    _basicValid = true;
                    _isCa = s.HasData && s.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && s.ReadBoolean();
                    if (s.HasData)
                    {
                        _maxPathLen = (int)s.ReadInteger();
                    }

                    break;
                }

                case "2.5.29.15":
                {
                    // §4.2.1.3 key usage: bit i of the BIT STRING is Go's KeyUsage 1 << i.
                    var bits = r.ReadBitString(out _);
                    for (var i = 0; i < 9 && i / 8 < bits.Length; i++)
                    {
                        if ((bits[i / 8] & (0x80 >> (i % 8))) != 0)
                        {
                            _keyUsage |= 1 << i;
                        }
                    }

                    break;
                }

                case "2.5.29.37":
                {
                    var s = r.ReadSequence();
                    while (s.HasData)
                    {
                        var oid = s.ReadObjectIdentifier();
                        var known = Array.IndexOf(ExtKeyUsageOids, oid);
                        if (known >= 0)
                        {
                            _extKeyUsage.Add(NumberValue.Create(known));
                        }
                        else
                        {
                            _unknownExtKeyUsage.Add(Oid(oid));
                        }
                    }

                    break;
                }

                case "2.5.29.14":
                    _ski = r.ReadOctetString();
                    break;
                case "2.5.29.35":
                {
                    var s = r.ReadSequence();
                    if (s.HasData && s.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    {
                        _aki = s.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
                    }

                    break;
                }

                case "1.3.6.1.5.5.7.1.1":
                {
                    // §4.2.2.1 authority information access.
                    var s = r.ReadSequence();
                    while (s.HasData)
                    {
                        var ad = s.ReadSequence();
                        var method = ad.ReadObjectIdentifier();
                        var tag = ad.PeekTag();
                        if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 6)))
                        {
                            var uri = ad.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
                            (method == "1.3.6.1.5.5.7.48.1" ? _ocsp : method == "1.3.6.1.5.5.7.48.2" ? _issuers : []).Add(uri);
                        }
                    }

                    break;
                }

                case "2.5.29.31":
                    CrlDistributionPoints(r.ReadSequence());
                    break;
                case "2.5.29.30":
                    NameConstraints(r.ReadSequence(), critical);
                    break;
                case "2.5.29.32":
                {
                    var s = r.ReadSequence();
                    while (s.HasData)
                    {
                        _policies.Add(Oid(s.ReadSequence().ReadObjectIdentifier()));
                    }

                    break;
                }
            }
        }

        // §4.2.1.6 GeneralName choices Go keeps: rfc822Name [1], dNSName [2], URI [6], iPAddress [7].
        private void GeneralNames(AsnReader names)
        {
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific || tag.IsConstructed)
                {
                    names.ReadEncodedValue();
                    continue;
                }

                switch (tag.TagValue)
                {
                    case 1:
                        _emails.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case 2:
                        _dns.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case 6:
                        _uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case 7:
                        _ips.Add(new IPAddress(names.ReadOctetString(tag)).ToString());
                        break;
                    default:
                        names.ReadEncodedValue();
                        break;
                }
            }
        }

        private void CrlDistributionPoints(AsnReader points)
        {
            while (points.HasData)
            {
                var dp = points.ReadSequence();
                if (!dp.HasData || !dp.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                {
                    continue;
                }

                var name = dp.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
                if (name.HasData && name.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                {
                    var full = name.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
                    while (full.HasData)
                    {
                        var tag = full.PeekTag();
                        if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 6 && !tag.IsConstructed)
                        {
                            _crl.Add(full.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        }
                        else
                        {
                            full.ReadEncodedValue();
                        }
                    }
                }
            }
        }

        public void WriteTo(ObjectValue.Builder b)
        {
            b.Set("KeyUsage", NumberValue.Create(_keyUsage));
            b.Set("Extensions", _all.Count == 0 ? NullValue.Instance : ArrayValue.CreateRange(_all));
            b.Set("ExtraExtensions", NullValue.Instance);
            b.Set("UnhandledCriticalExtensions", NullValue.Instance);
            b.Set("ExtKeyUsage", _extKeyUsage.Count == 0 ? NullValue.Instance : ArrayValue.CreateRange(_extKeyUsage));
            b.Set("UnknownExtKeyUsage", _unknownExtKeyUsage.Count == 0 ? NullValue.Instance : ArrayValue.CreateRange(_unknownExtKeyUsage));
            b.Set("BasicConstraintsValid", BooleanValue.Create(_basicValid));
            b.Set("IsCA", BooleanValue.Create(_isCa));

            // Go reports an absent path length as -1, and an explicit zero with MaxPathLenZero.
            b.Set("MaxPathLen", NumberValue.Create(_basicValid ? _maxPathLen : 0));
            b.Set("MaxPathLenZero", BooleanValue.Create(_maxPathLen == 0));
            b.Set("SubjectKeyId", _ski is null ? NullValue.Instance : Bytes(_ski));
            b.Set("AuthorityKeyId", _aki is null ? NullValue.Instance : Bytes(_aki));
            b.Set("OCSPServer", Strings(_ocsp));
            b.Set("IssuingCertificateURL", Strings(_issuers));
            b.Set("DNSNames", Strings(_dns));
            b.Set("EmailAddresses", Strings(_emails));
            b.Set("IPAddresses", Strings(_ips));
            b.Set("URIs", _uris.Count == 0 ? NullValue.Instance : ArrayValue.CreateRange(_uris.Select(UriObject)));
            b.Set("URIStrings", Strings(_uris));
            b.Set("CRLDistributionPoints", Strings(_crl));
            b.Set("PolicyIdentifiers", _policies.Count == 0 ? NullValue.Instance : ArrayValue.CreateRange(_policies));
            WriteNameConstraints(b);

            // Policy constraints Go decodes but OPA's inputs rarely carry; absent here as in an unconstrained certificate.
            b.Set("Policies", NullValue.Instance);
            b.Set("InhibitAnyPolicy", NumberValue.Create(0));
            b.Set("InhibitAnyPolicyZero", BooleanValue.False);
            b.Set("InhibitPolicyMapping", NumberValue.Create(0));
            b.Set("InhibitPolicyMappingZero", BooleanValue.False);
            b.Set("RequireExplicitPolicy", NumberValue.Create(0));
            b.Set("RequireExplicitPolicyZero", BooleanValue.False);
            b.Set("PolicyMappings", NullValue.Instance);
        }

        // Go's url.URL fields for an absolute URI.
        private static Value UriObject(string text)
        {
            var ok = Uri.TryCreate(text, UriKind.Absolute, out var u);
            return ObjectValue.Create(
                ("Scheme", StringValue.Create(ok ? u!.Scheme : "")),
                ("Opaque", StringValue.Create("")),
                ("User", NullValue.Instance),
                ("Host", StringValue.Create(ok ? u!.Authority : "")),
                ("Path", StringValue.Create(ok ? Uri.UnescapeDataString(u!.AbsolutePath == "/" && !text.EndsWith('/') ? "" : u.AbsolutePath) : text)),
                ("RawPath", StringValue.Create("")),
                ("OmitHost", BooleanValue.False),
                ("ForceQuery", BooleanValue.False),
                ("RawQuery", StringValue.Create(ok ? u!.Query.TrimStart('?') : "")),
                ("Fragment", StringValue.Create(ok ? Uri.UnescapeDataString(u!.Fragment.TrimStart('#')) : "")),
                ("RawFragment", StringValue.Create("")));
        }
    }
}
