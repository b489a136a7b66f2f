using System.Globalization;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Registration;

/// <summary>Checks an entry before it is stored. Each rule has its own message; the first broken rule wins.</summary>
public static class EntryValidator
{
    private const int MaxEntryIdLength = 255;

    public static RegistrationEntry Validate(RegistrationEntry entry, TrustDomain serverTrustDomain)
    {
        ArgumentNullException.ThrowIfNull(entry);
        CheckEntryId(entry.EntryId);
        var id = CheckId("SPIFFE ID", entry.SpiffeId, serverTrustDomain);
        CheckId("parent ID", entry.ParentId, serverTrustDomain);
        if (id.IsRoot)
        {
            // SPIFFE-ID §2.2: the trust domain's own ID names no workload.
            throw Invalid($"registration: SPIFFE ID \"{entry.SpiffeId}\" has no path; entries need a workload path");
        }

        if (entry.Selectors.Count == 0)
        {
            throw Invalid("registration: at least one selector is required");
        }

        foreach (var s in entry.Selectors)
        {
            if (string.IsNullOrEmpty(s.Type) || string.IsNullOrEmpty(s.Value))
            {
                throw Invalid($"registration: selector \"{s}\" must be of the form type:value");
            }

            if (!SelectorTypes.Known.Contains(s.Type))
            {
                throw Invalid($"registration: unknown selector type \"{s.Type}\" (known: {string.Join(", ", SelectorTypes.Known.Order(StringComparer.Ordinal))})");
            }
        }

        if (entry.X509SvidTtl < 0)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"registration: X.509-SVID TTL must not be negative, got {entry.X509SvidTtl}"));
        }

        if (entry.JwtSvidTtl < 0)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"registration: JWT-SVID TTL must not be negative, got {entry.JwtSvidTtl}"));
        }

        if (entry.ExpiresAt < 0)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"registration: entry expiry must not be negative, got {entry.ExpiresAt}"));
        }

        var federates = new List<string>();
        foreach (var f in entry.FederatesWith)
        {
            var name = f.StartsWith("spiffe://", StringComparison.Ordinal) ? f["spiffe://".Length..] : f;
            if (!TrustDomain.TryParse(name, out var td, out var error))
            {
                throw Invalid($"registration: federatesWith \"{f}\" is not a trust domain: {error}");
            }

            if (td == serverTrustDomain)
            {
                throw Invalid($"registration: federatesWith \"{f}\" is the server's own trust domain");
            }

            federates.Add(td.Name);
        }

        foreach (var dns in entry.DnsNames)
        {
            if (!IsDnsName(dns))
            {
                throw Invalid($"registration: DNS name \"{dns}\" is not valid");
            }
        }

        return entry with
        {
            FederatesWith = federates.Distinct().ToArray(),
            Selectors = entry.Selectors.Distinct().ToArray(),
        };
    }

    /// <summary>Parses an entry's IDs as they arrive as text (the Admin API, a join token's alias), checking the rules
    /// <see cref="Validate"/> checks first in the same order, so the first broken rule and its message stay the same
    /// whether the text or the parsed entry is found wanting.</summary>
    public static (SpiffeId Id, SpiffeId ParentId) ParseIds(string entryId, string spiffeId, string parentId, TrustDomain serverTrustDomain)
    {
        CheckEntryId(entryId);
        var id = ParseId("SPIFFE ID", spiffeId, serverTrustDomain);
        var parent = ParseId("parent ID", parentId, serverTrustDomain);
        return (id, parent);
    }

    /// <summary>Parses one ID of an entry from text: required, well-formed (SPIFFE-ID §2), in the server's trust domain.</summary>
    public static SpiffeId ParseId(string what, string? text, TrustDomain serverTrustDomain)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw Invalid($"registration: {what} is required");
        }

        if (!SpiffeId.TryParse(text, out var id, out var error))
        {
            throw Invalid($"registration: invalid {what} \"{text}\": {error}");
        }

        return CheckId(what, id, serverTrustDomain);
    }

    private static void CheckEntryId(string entryId)
    {
        if (entryId.Length > MaxEntryIdLength)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"registration: entry ID is longer than {MaxEntryIdLength} characters"));
        }

        foreach (var c in entryId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw Invalid($"registration: entry ID \"{entryId}\" may only hold letters, digits, '-', '_' and '.'");
            }
        }
    }

    // A parsed ID holds its text unchanged, so the messages quote what the caller sent.
    private static SpiffeId CheckId(string what, SpiffeId id, TrustDomain serverTrustDomain)
    {
        if (id.IsZero)
        {
            throw Invalid($"registration: {what} is required");
        }

        if (!id.IsMemberOf(serverTrustDomain))
        {
            throw Invalid($"registration: {what} \"{id}\" is not a member of trust domain \"{serverTrustDomain}\"");
        }

        return id;
    }

    // RFC 1123 §2.1 host names; a leading "*." wildcard label is allowed as in X.509 SANs (RFC 6125 §6.4.3).
    internal static bool IsDnsName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 253)
        {
            return false;
        }

        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (i == 0 && label == "*" && labels.Length > 1)
            {
                continue;
            }

            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static RegistrationException Invalid(string message) => new(RegistrationError.InvalidArgument, message);
}
