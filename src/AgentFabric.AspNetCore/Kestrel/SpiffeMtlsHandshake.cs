using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tls;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace AgentFabric.AspNetCore;

/// <summary>
/// Kestrel's per-connection TLS options for a SPIFFE mTLS endpoint: the server certificate is the source's current
/// SVID (a rotated SVID is shown from the next handshake on, no restart), a client SVID is required and verified by
/// <see cref="SpiffeTls"/> against the bundle and the authorizer. The verified peer is recorded on the connection as an
/// <see cref="ISpiffePeerFeature"/>, so requests never re-verify the chain.
/// </summary>
internal sealed class SpiffeMtlsHandshake(
    SpiffeSources sources,
    ISpiffeAuthorizer? authorizer,
    HttpProtocols protocols,
    TimeProvider timeProvider,
    ILogger logger)
{
    private readonly List<SslApplicationProtocol> _alpn = Alpn(protocols);

    public ValueTask<SslServerAuthenticationOptions> OnConnectionAsync(TlsHandshakeCallbackContext context)
    {
        SslServerAuthenticationOptions options;
        try
        {
            options = SpiffeTls.CreateMtlsServerOptions(sources.X509Svids, sources.X509Bundles, authorizer ?? new SameTrustDomainAuthorizer(sources), timeProvider);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // No SVID in force (not yet fetched, withdrawn): refuse the connection rather than serve without one.
            SpiffeLog.NoServerSvid(logger, e.Message);
            throw;
        }

        var peer = new SpiffePeerFeature();
        var verify = options.RemoteCertificateValidationCallback!;
        options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            try
            {
                verify(sender, certificate, chain, errors);
            }
            catch (SpiffeTlsException e)
            {
                SpiffeLog.PeerRejected(logger, context.Connection.RemoteEndPoint?.ToString() ?? "?", e.Message);
                throw;
            }

            // SpiffeTls verified this very certificate as an X.509-SVID, so it carries exactly one SPIFFE ID.
            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            peer.Accept(X509Svid.IdFromCertificate(leaf), leaf);
            return true;
        };
        options.ApplicationProtocols = _alpn;
        context.Connection.Features.Set<ISpiffePeerFeature>(peer);
        return ValueTask.FromResult(options);
    }

    private static List<SslApplicationProtocol> Alpn(HttpProtocols protocols)
    {
        var list = new List<SslApplicationProtocol>();
        if (protocols.HasFlag(HttpProtocols.Http2))
        {
            list.Add(SslApplicationProtocol.Http2);
        }

        if (protocols.HasFlag(HttpProtocols.Http1))
        {
            list.Add(SslApplicationProtocol.Http11);
        }

        return list;
    }

    /// <summary>The default authorizer: a peer of this workload's own trust domain (taken from the current SVID, so
    /// it follows the SVID).</summary>
    private sealed class SameTrustDomainAuthorizer(SpiffeSources sources) : ISpiffeAuthorizer
    {
        public SpiffeAuthorizationResult Authorize(SpiffeId peerId, IReadOnlyList<IReadOnlyList<X509Certificate2>> verifiedChains) =>
            SpiffeAuthorizer.MemberOf(sources.CurrentId.TrustDomain).Authorize(peerId, verifiedChains);
    }
}
