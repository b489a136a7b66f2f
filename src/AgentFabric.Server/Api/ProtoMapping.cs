using AgentFabric.Server.Ca;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Federation;
using AgentFabric.Server.Registration;
using AgentFabric.Spiffe;
using Google.Protobuf;

namespace AgentFabric.Server.Api;

/// <summary>Conversions between the datastore's records and the wire messages.</summary>
internal static class ProtoMapping
{
    public static V1.Entry ToProto(RegistrationEntry e)
    {
        var p = new V1.Entry
        {
            Id = e.EntryId,
            SpiffeId = e.SpiffeId.ToString(),
            ParentId = e.ParentId.ToString(),
            X509SvidTtl = e.X509SvidTtl,
            JwtSvidTtl = e.JwtSvidTtl,
            Admin = e.Admin,
            Downstream = e.Downstream,
            Hint = e.Hint,
            ExpiresAt = e.ExpiresAt,
            RevisionNumber = e.Revision,
            CreatedAt = e.CreatedAt,
        };
        p.Selectors.AddRange(e.Selectors.Select(s => new V1.Selector { Type = s.Type, Value = s.Value }));
        p.FederatesWith.AddRange(e.FederatesWith);
        p.DnsNames.AddRange(e.DnsNames);
        return p;
    }

    /// <summary>The entry an Admin API request carries, its IDs parsed here (the server's boundary); a missing or
    /// malformed ID throws the <see cref="RegistrationException"/> <see cref="EntryValidator"/> gives for it.</summary>
    public static RegistrationEntry FromProto(V1.Entry? p, TrustDomain serverTrustDomain)
    {
        p ??= new V1.Entry();
        var (id, parent) = EntryValidator.ParseIds(p.Id, p.SpiffeId, p.ParentId, serverTrustDomain);
        return new RegistrationEntry
        {
            EntryId = p.Id,
            SpiffeId = id,
            ParentId = parent,
            Selectors = p.Selectors.Select(s => new Selector(s.Type, s.Value)).ToArray(),
            X509SvidTtl = p.X509SvidTtl,
            JwtSvidTtl = p.JwtSvidTtl,
            FederatesWith = p.FederatesWith.ToArray(),
            DnsNames = p.DnsNames.ToArray(),
            Admin = p.Admin,
            Downstream = p.Downstream,
            Hint = p.Hint,
            ExpiresAt = p.ExpiresAt,
        };
    }

    public static V1.Bundle ToProto(StoredBundle b)
    {
        var p = new V1.Bundle
        {
            TrustDomain = b.TrustDomain,
            JwtAuthoritiesJwks = b.JwtAuthoritiesJson,
            RefreshHint = b.RefreshHintSeconds,
            SequenceNumber = b.SequenceNumber,
        };
        p.X509Authorities.AddRange(BundleService.ParsePem(b.X509AuthoritiesPem).Select(c => ByteString.CopyFrom(c.RawData)));
        return p;
    }

    public static V1.X509Svid ToProto(IssuedX509Svid svid)
    {
        var p = new V1.X509Svid { SpiffeId = svid.Id.ToString(), ExpiresAt = svid.NotAfter.ToUnixTimeSeconds() };
        p.CertChain.AddRange(svid.ChainDer.Select(ByteString.CopyFrom));
        return p;
    }

    public static V1.Agent ToProto(AttestedNode n) => new()
    {
        Id = n.SpiffeId,
        AttestationType = n.AttestationType,
        X509SvidSerialNumber = n.CertSerial,
        X509SvidExpiresAt = n.CertNotAfter,
        Banned = n.Banned,
    };
}
