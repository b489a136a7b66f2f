using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AgentFabric.Spiffe.Jose;

namespace AgentFabric.Spiffe.Bundles;

/// <summary>The SPIFFE Bundle Map (Bundle §5): <c>{"trust_domains": {"td": bundle, ...}}</c>.</summary>
public sealed partial class SpiffeBundleSet
{
    /// <summary>Reads a bundle map. Duplicate trust domain names are rejected (§5.1.1, §6.3); each bundle follows
    /// <see cref="SpiffeBundle.Parse"/>. Members other than <c>trust_domains</c> are ignored.</summary>
    /// <exception cref="SpiffeBundleException">The map or one of its bundles is invalid.</exception>
    public static SpiffeBundleSet ParseBundleMap(ReadOnlySpan<byte> json) =>
        TryParseBundleMap(json, out var set, out var error) ? set : throw new SpiffeBundleException(error);

    /// <summary>Reads like <see cref="ParseBundleMap"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParseBundleMap(
        ReadOnlySpan<byte> json,
        [NotNullWhen(true)] out SpiffeBundleSet? set,
        [NotNullWhen(false)] out string? error)
    {
        set = null;
        if (!JsonDocuments.TryParse(json, "spiffebundle: bundle map", out var document, out error))
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "spiffebundle: bundle map is not a JSON object";
                return false;
            }

            if (JsonObjects.FindDuplicateName(root) is { } duplicateMember)
            {
                error = $"spiffebundle: bundle map has duplicate member \"{duplicateMember}\"";
                return false;
            }

            // §5.1.1: "trust_domains" MUST be set and MAY be empty.
            if (!root.TryGetProperty("trust_domains", out var trustDomains) || trustDomains.ValueKind != JsonValueKind.Object)
            {
                error = "spiffebundle: bundle map has no \"trust_domains\" object";
                return false;
            }

            // §5.1.1, §6.3: consumers MUST reject duplicate trust domain names.
            if (JsonObjects.FindDuplicateName(trustDomains) is { } duplicate)
            {
                error = $"spiffebundle: bundle map has duplicate trust domain \"{duplicate}\"";
                return false;
            }

            var bundles = new List<SpiffeBundle>();
            foreach (var entry in trustDomains.EnumerateObject())
            {
                if (!TrustDomain.TryParse(entry.Name, out var trustDomain, out string? reason) || entry.Name.Contains(":/", StringComparison.Ordinal))
                {
                    error = $"spiffebundle: bundle map has an invalid trust domain name \"{entry.Name}\": {reason ?? "not a bare name"}";
                    return false;
                }

                if (!JwksReader.TryRead(entry.Value, JwksFlavor.SpiffeBundle, $"spiffebundle: trust domain \"{entry.Name}\": ", out var content, out error))
                {
                    return false;
                }

                bundles.Add(SpiffeBundle.FromContent(trustDomain, content));
            }

            set = new SpiffeBundleSet(bundles);
            error = null;
            return true;
        }
    }

    /// <summary>The bundles as a bundle map, ordered by trust domain name, without refresh hints (§5.1.1).</summary>
    /// <exception cref="SpiffeBundleException">An X.509 authority (added in code: Parse refuses them) has a key that is neither RSA nor EC on P-256/P-384/P-521, or one that cannot be decoded.</exception>
    public byte[] MarshalBundleMap(bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented });
            writer.WriteStartObject();
            writer.WriteStartObject("trust_domains");
            foreach (var bundle in Bundles)
            {
                writer.WritePropertyName(bundle.TrustDomain.Name);
                bundle.WriteToBundleMap(writer);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        catch (ArgumentException ex)
        {
            throw new SpiffeBundleException("spiffebundle: cannot marshal bundle map: " + ex.Message, ex);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
