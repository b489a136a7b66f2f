namespace AgentFabric.Server.Datastore;

/// <summary>A node (agent) that attested: its SPIFFE ID, how it attested, the serial and expiry (Unix seconds) of
/// the node SVID it holds now, and whether it is banned (a banned node cannot attest again).</summary>
public sealed record AttestedNode(
    string SpiffeId,
    string AttestationType,
    string CertSerial,
    long CertNotAfter,
    bool Banned,
    long CreatedAt);
