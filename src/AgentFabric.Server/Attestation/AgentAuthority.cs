using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Registration;
using AgentFabric.Server.Telemetry;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Svid.X509;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Server.Attestation;

/// <summary>
/// What the Agent API does, without the transport: attest a node and sign its SVID, recognise a node by its SVID,
/// renew it, and sign workload SVIDs only for entries the node is authorized for.
/// </summary>
public sealed partial class AgentAuthority
{
    private readonly IDataStore _store;
    private readonly X509Ca _ca;
    private readonly RegistrationService _registration;
    private readonly IReadOnlyDictionary<string, INodeAttestor> _attestors;
    private readonly TimeSpan _agentTtl;
    private readonly TimeSpan _defaultX509Ttl;
    private readonly JwtSvidMinter? _jwt;
    private readonly TimeSpan _defaultJwtTtl;
    private readonly ServerMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public AgentAuthority(
        IDataStore store,
        X509Ca ca,
        RegistrationService registration,
        IEnumerable<INodeAttestor> attestors,
        TimeSpan agentTtl,
        TimeSpan defaultX509Ttl,
        ServerMetrics? metrics,
        ILogger logger,
        TimeProvider time,
        JwtSvidMinter? jwt = null,
        TimeSpan? defaultJwtTtl = null)
    {
        _jwt = jwt;
        _defaultJwtTtl = defaultJwtTtl ?? TimeSpan.FromMinutes(5);
        _store = store;
        _ca = ca;
        _registration = registration;
        _attestors = attestors.ToDictionary(a => a.Type, StringComparer.Ordinal);
        _agentTtl = agentTtl;
        _defaultX509Ttl = defaultX509Ttl;
        _metrics = metrics;
        _logger = logger;
        _time = time;
    }

    public EntryCache Entries => _registration.Cache;

    public ChangeSignal NodesChanged => _registration.NodesChanged;

    /// <summary>Attests a node and signs its node SVID over the CSR's key.</summary>
    public async Task<IssuedX509Svid> AttestAsync(string type, ReadOnlyMemory<byte> payload, byte[] csr, CancellationToken cancellationToken)
    {
        if (!_attestors.TryGetValue(type, out var attestor))
        {
            _metrics?.Attestation("unknown_type");
            throw new AttestationException($"attestation: unknown attestation type \"{type}\" (supported: {string.Join(", ", _attestors.Keys.Order(StringComparer.Ordinal))})");
        }

        // Check the CSR before the evidence is consumed, so a bad CSR does not burn a single-use token.
        var publicKey = CsrReader.ReadPublicKey(csr);
        NodeAttestationResult result;
        try
        {
            result = await attestor.AttestAsync(payload, cancellationToken).ConfigureAwait(false);
        }
        catch (AttestationException e)
        {
            _metrics?.Attestation("failed");
            LogAttestationFailed(_logger, type, e.Message);
            throw;
        }

        var agentId = result.AgentId.ToString();
        var existing = await _store.GetAttestedNodeAsync(agentId, cancellationToken).ConfigureAwait(false);
        if (existing is { Banned: true })
        {
            _metrics?.Attestation("banned");
            LogAttestationFailed(_logger, type, $"node {agentId} is banned");
            throw new AttestationException($"attestation: node \"{agentId}\" is banned");
        }

        var svid = _ca.Sign(publicKey, result.AgentId, [], _agentTtl);
        if (existing is null)
        {
            await _store.CreateAttestedNodeAsync(new AttestedNode(agentId, type, svid.SerialNumber, svid.NotAfter.ToUnixTimeSeconds(), false, 0), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _store.UpdateAttestedNodeCertAsync(agentId, svid.SerialNumber, svid.NotAfter.ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false);
        }

        _metrics?.Attestation("success");
        _metrics?.SvidIssued("node");
        LogAttested(_logger, agentId, type);
        return svid;
    }

    /// <summary>The attested node presenting <paramref name="leaf"/> (already verified against our bundle by the TLS
    /// handshake): it must be attested, not banned, and the certificate must be its current node SVID.</summary>
    public async Task<SpiffeId> AuthenticateNodeAsync(X509Certificate2? leaf, CancellationToken cancellationToken)
    {
        if (leaf is null)
        {
            throw new AttestationException("attestation: the caller presented no node SVID");
        }

        var id = X509Svid.IdFromCertificate(leaf);
        var node = await _store.GetAttestedNodeAsync(id.ToString(), cancellationToken).ConfigureAwait(false);
        if (node is null)
        {
            throw new AttestationException($"attestation: \"{id}\" is not an attested node (evicted or never attested)");
        }

        if (node.Banned)
        {
            throw new AttestationException($"attestation: node \"{id}\" is banned");
        }

        if (!string.Equals(node.CertSerial, leaf.SerialNumber, StringComparison.OrdinalIgnoreCase))
        {
            throw new AttestationException($"attestation: the SVID presented is not the current SVID of node \"{id}\"");
        }

        return id;
    }

    /// <summary>Whether the node is still attested and not banned (open streams re-check after node changes).</summary>
    public async Task<bool> IsNodeActiveAsync(SpiffeId nodeId, CancellationToken cancellationToken) =>
        await _store.GetAttestedNodeAsync(nodeId.ToString(), cancellationToken).ConfigureAwait(false) is { Banned: false };

    /// <summary>Signs a fresh node SVID for an authenticated node; the old one stops working.</summary>
    public async Task<IssuedX509Svid> RenewAsync(SpiffeId nodeId, byte[] csr, CancellationToken cancellationToken)
    {
        var svid = _ca.SignCsr(csr, nodeId, [], _agentTtl);
        await _store.UpdateAttestedNodeCertAsync(nodeId.ToString(), svid.SerialNumber, svid.NotAfter.ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false);
        _metrics?.SvidIssued("node");
        return svid;
    }

    /// <summary>Signs an X.509-SVID for the entry, refusing (and logging) an entry the node is not authorized for.</summary>
    public IssuedX509Svid SignWorkloadSvid(SpiffeId nodeId, string entryId, ReadOnlySpan<byte> csr)
    {
        var entry = Entries.GetIfAuthorized(nodeId, entryId, _time.GetUtcNow().ToUnixTimeSeconds());
        if (entry is null)
        {
            _metrics?.Refused("unauthorized_entry");
            LogUnauthorizedSign(_logger, nodeId.ToString(), entryId);
            throw new AttestationException($"attestation: node \"{nodeId}\" is not authorized for entry \"{entryId}\"");
        }

        var ttl = entry.X509SvidTtl > 0 ? TimeSpan.FromSeconds(entry.X509SvidTtl) : _defaultX509Ttl;
        var svid = _ca.SignCsr(csr, entry.SpiffeId, entry.DnsNames, ttl);
        _metrics?.SvidIssued("x509");
        return svid;
    }

    /// <summary>Mints a JWT-SVID for the entry, refusing (and logging) an entry the node is not authorized for.</summary>
    public (SpiffeId Id, string Token, DateTimeOffset Expiry) MintJwtSvid(SpiffeId nodeId, string entryId, IReadOnlyList<string> audience)
    {
        var minter = _jwt ?? throw new AttestationException("attestation: JWT-SVIDs are disabled on this server");
        var entry = Entries.GetIfAuthorized(nodeId, entryId, _time.GetUtcNow().ToUnixTimeSeconds());
        if (entry is null)
        {
            _metrics?.Refused("unauthorized_entry");
            LogUnauthorizedSign(_logger, nodeId.ToString(), entryId);
            throw new AttestationException($"attestation: node \"{nodeId}\" is not authorized for entry \"{entryId}\"");
        }

        var id = entry.SpiffeId;
        var (token, expiry) = minter.Mint(id, audience, entry.JwtSvidTtl > 0 ? TimeSpan.FromSeconds(entry.JwtSvidTtl) : _defaultJwtTtl);
        _metrics?.SvidIssued("jwt");
        return (id, token, expiry);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Node {AgentId} attested ({Type})")]
    private static partial void LogAttested(ILogger logger, string agentId, string type);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Node attestation ({Type}) failed: {Reason}")]
    private static partial void LogAttestationFailed(ILogger logger, string type, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Refused to sign: node {NodeId} is not authorized for entry {EntryId}")]
    private static partial void LogUnauthorizedSign(ILogger logger, string nodeId, string entryId);
}
