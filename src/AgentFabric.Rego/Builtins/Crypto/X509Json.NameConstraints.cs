using System.Formats.Asn1;
using System.Net;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Crypto;

internal static partial class X509Json
{
    internal sealed partial class CertificateExtensions
    {
        private readonly List<string> _permittedDns = [];
        private readonly List<string> _excludedDns = [];
        private readonly List<string> _permittedEmails = [];
        private readonly List<string> _excludedEmails = [];
        private readonly List<string> _permittedUris = [];
        private readonly List<string> _excludedUris = [];
        private readonly List<Value> _permittedIps = [];
        private readonly List<Value> _excludedIps = [];
        private bool _nameConstraintsCritical;

        // RFC 5280 §4.2.1.10: permittedSubtrees [0] and excludedSubtrees [1] of GeneralSubtree.
        private void NameConstraints(AsnReader constraints, bool critical)
        {
            _nameConstraintsCritical = critical;
            for (var i = 0; i < 2 && constraints.HasData; i++)
            {
                var tag = constraints.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific || tag.TagValue > 1)
                {
                    constraints.ReadEncodedValue();
                    continue;
                }

                var permitted = tag.TagValue == 0;
                var subtrees = constraints.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, tag.TagValue, true));
                while (subtrees.HasData)
                {
                    Subtree(subtrees.ReadSequence(), permitted);
                }
            }
        }

        private void Subtree(AsnReader subtree, bool permitted)
        {
            var tag = subtree.PeekTag();
            if (tag.TagClass != TagClass.ContextSpecific || tag.IsConstructed)
            {
                return;
            }

            switch (tag.TagValue)
            {
                case 1:
                    (permitted ? _permittedEmails : _excludedEmails).Add(subtree.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    break;
                case 2:
                    (permitted ? _permittedDns : _excludedDns).Add(subtree.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    break;
                case 6:
                    (permitted ? _permittedUris : _excludedUris).Add(subtree.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    break;
                case 7:
                {
                    // An address followed by a mask of the same length, as Go's net.IPNet {IP, Mask}.
                    var raw = subtree.ReadOctetString(tag);
                    if (raw.Length is 8 or 32)
                    {
                        var half = raw.Length / 2;
                        (permitted ? _permittedIps : _excludedIps).Add(ObjectValue.Create(
                            ("IP", StringValue.Create(new IPAddress(raw.AsSpan(0, half)).ToString())),
                            ("Mask", Bytes(raw.AsSpan(half)))));
                    }

                    break;
                }
            }
        }

        private void WriteNameConstraints(ObjectValue.Builder b)
        {
            b.Set("PermittedDNSDomainsCritical", BooleanValue.Create(_nameConstraintsCritical));
            b.Set("PermittedDNSDomains", Strings(_permittedDns));
            b.Set("ExcludedDNSDomains", Strings(_excludedDns));
            b.Set("PermittedIPRanges", _permittedIps.Count == 0 ? NullValue.Instance : ArrayValue.CreateRange(_permittedIps));
            b.Set("ExcludedIPRanges", _excludedIps.Count == 0 ? NullValue.Instance : ArrayValue.CreateRange(_excludedIps));
            b.Set("PermittedEmailAddresses", Strings(_permittedEmails));
            b.Set("ExcludedEmailAddresses", Strings(_excludedEmails));
            b.Set("PermittedURIDomains", Strings(_permittedUris));
            b.Set("ExcludedURIDomains", Strings(_excludedUris));
        }
    }
}
