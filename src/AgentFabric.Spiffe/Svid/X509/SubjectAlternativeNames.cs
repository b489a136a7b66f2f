using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Svid.X509;

/// <summary>
/// Reads the URI names of a certificate's Subject Alternative Name extension (RFC 5280 §4.2.1.6) with
/// System.Formats.Asn1 — the BCL's <see cref="X509SubjectAlternativeNameExtension"/> has no URI accessor. The one SAN
/// reader of the library.
/// </summary>
internal static class SubjectAlternativeNames
{
    public const string Oid = "2.5.29.17";

    private static readonly Asn1Tag s_uriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The URI SANs of <paramref name="certificate"/>, in order, and whether the extension is critical.</summary>
    /// <returns>null on success, else the reason (without area prefix).</returns>
    public static string? TryReadUris(X509Certificate2 certificate, out List<string> uris, out bool critical)
    {
        uris = [];
        critical = false;
        X509Extension? san = null;
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != Oid)
            {
                continue;
            }

            // RFC 5280 §4.2: a certificate must not include more than one instance of an extension.
            if (san is not null)
            {
                return "certificate has more than one subject alternative name extension";
            }

            san = extension;
        }

        if (san is null)
        {
            return null;
        }

        critical = san.Critical;
        try
        {
            var reader = new AsnReader(san.RawData, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.HasSameClassAndValue(s_uriTag))
                {
                    // IA5String content, implicitly tagged; read the bytes and map them 1:1 to chars so that a
                    // non-ASCII byte reaches the SPIFFE ID grammar and is rejected there with a precise message.
                    byte[] value = names.ReadOctetString(s_uriTag);
                    uris.Add(System.Text.Encoding.Latin1.GetString(value));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            return "certificate has a malformed subject alternative name extension";
        }

        return null;
    }
}
