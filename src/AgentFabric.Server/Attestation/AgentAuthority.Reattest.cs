using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Ca;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Server.Attestation;

public sealed partial class AgentAuthority
{
    private const string ReattestType = "reattest";

    /// <summary>How far the proof's signed_at may be from the server's clock (replay bound, clock skew).</summary>
    public static readonly TimeSpan ReattestClockWindow = TimeSpan.FromMinutes(5);

    /// <summary>How long after its node SVID expired a node may re-attest with it; zero disables re-attestation.</summary>
    public TimeSpan ReattestGrace { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Re-attests a node that proves it holds the key of its current node SVID, even an expired one (the server was
    /// away while it should have renewed), and signs a new node SVID over the CSR's key. Checks, in order: enabled;
    /// the proof is recent; the chain verifies to our CA (only the validity period ignored); the signature; the grace
    /// period; the node is attested, not banned, and this SVID is its current one. The serial is swapped atomically,
    /// so one proof re-attests at most once.
    /// </summary>
    /// <exception cref="AttestationException">Refused; the message says why (also logged).</exception>
    /// <exception cref="CaException">The CSR is malformed.</exception>
    public async Task<IssuedX509Svid> ReattestAsync(
        IReadOnlyList<byte[]> svidChain, byte[] csr, long signedAt, byte[] signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(svidChain);
        if (ReattestGrace <= TimeSpan.Zero)
        {
            throw Refuse("disabled", "attestation: re-attestation is disabled on this server (agent_reattest_grace is 0); attest with a new join token");
        }

        var chain = ReadChain(svidChain);
        var leaf = chain[0];
        var now = _time.GetUtcNow();
        var signedTime = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(signedAt, -62135596800L, 253402300799L));
        if ((now - signedTime).Duration() > ReattestClockWindow)
        {
            throw Refuse("stale_proof", $"attestation: the re-attestation proof was signed at {Text(signedTime)}, more than 5m from the server's time {Text(now)}");
        }

        var publicKey = CsrReader.ReadPublicKey(csr);
        var id = VerifyIssuedByUs(chain);
        if (!ReattestProof.Verify(leaf, signedAt, csr, signature))
        {
            throw Refuse("bad_signature", "attestation: the re-attestation signature does not verify with the node SVID's key");
        }

        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        if (now > notAfter + ReattestGrace)
        {
            throw Refuse("beyond_grace", $"attestation: the node SVID of \"{id}\" expired at {Text(notAfter)}, beyond the re-attestation grace of {Config.DurationText.Format(ReattestGrace)}; attest with a new join token");
        }

        var node = await _store.GetAttestedNodeAsync(id.ToString(), cancellationToken).ConfigureAwait(false);
        CheckCurrent(node, id, leaf.SerialNumber);
        var svid = _ca.Sign(publicKey, id, [], _agentTtl);

        // Compare and swap: of two requests with the same proof (replay, retry), only the first gets an SVID that works.
        if (!await _store.ReplaceAttestedNodeCertAsync(id.ToString(), node!.CertSerial, svid.SerialNumber, svid.NotAfter.ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false))
        {
            CheckCurrent(await _store.GetAttestedNodeAsync(id.ToString(), cancellationToken).ConfigureAwait(false), id, leaf.SerialNumber);
            throw Refuse("superseded", $"attestation: the SVID presented is not the current SVID of node \"{id}\" (a newer one was issued)");
        }

        _metrics?.Attestation("reattested");
        _metrics?.SvidIssued("node");
        LogReattested(_logger, id.ToString(), Text(notAfter));
        return svid;
    }

    private void CheckCurrent(Datastore.AttestedNode? node, SpiffeId id, string serial)
    {
        if (node is null)
        {
            throw Refuse("evicted", $"attestation: \"{id}\" is not an attested node (evicted or never attested)");
        }

        if (node.Banned)
        {
            throw Refuse("banned", $"attestation: node \"{id}\" is banned");
        }

        if (!string.Equals(node.CertSerial, serial, StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse("superseded", $"attestation: the SVID presented is not the current SVID of node \"{id}\" (a newer one was issued)");
        }
    }

    private X509Certificate2[] ReadChain(IReadOnlyList<byte[]> der)
    {
        if (der.Count == 0)
        {
            throw Refuse("malformed", "attestation: re-attestation needs the node SVID chain");
        }

        try
        {
            return der.Select(d => X509CertificateLoader.LoadCertificate(d)).ToArray();
        }
        catch (CryptographicException e)
        {
            throw Refuse("malformed", $"attestation: the node SVID chain cannot be read: {e.Message}");
        }
    }

    /// <summary>X509-SVID §5: the leaf rules and path validation to our CA's authorities (current, prepared and
    /// previous), at a moment inside the leaf's own validity, so the only rule set aside is that it expired.</summary>
    private SpiffeId VerifyIssuedByUs(X509Certificate2[] chain)
    {
        var leaf = chain[0];
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        var inside = new FixedTime(notBefore + ((notAfter - notBefore) / 2));
        try
        {
            var id = X509SvidVerifier.Verify(chain, new X509Bundle(_ca.TrustDomain, _ca.BundleAuthorities), inside).Id;
            return id;
        }
        catch (X509SvidException e)
        {
            throw Refuse("foreign_ca", $"attestation: the node SVID was not issued by this server's CA ({e.Message})");
        }
    }

    private AttestationException Refuse(string reason, string message)
    {
        _metrics?.Attestation("reattest_" + reason);
        LogAttestationFailed(_logger, ReattestType, message);
        return new AttestationException(message);
    }

    private static string Text(DateTimeOffset t) => t.ToString("u", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Node {AgentId} re-attested with its node SVID (expired {Expiry})")]
    private static partial void LogReattested(ILogger logger, string agentId, string expiry);

    /// <summary>A clock stopped at one moment: path validation "as of" a time inside the SVID's validity.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
