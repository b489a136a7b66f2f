using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Spiffe.Tls;

/// <summary>
/// SslStream options for SPIFFE TLS (go-spiffe's <c>tlsconfig</c>): TLS 1.3 only, our SVID presented with its full
/// chain, the peer validated by SPIFFE rules and an <see cref="ISpiffeAuthorizer"/>, never by host name. Options only
/// see sources, so a rotated SVID or bundle is used by the next handshake without restarting anything.
/// </summary>
public static class SpiffeTls
{
    // Building a certificate context costs a chain build; each SVID instance gets one, dropped with the SVID.
    private static readonly ConditionalWeakTable<X509Svid, SslStreamCertificateContext> s_contexts = [];

    /// <summary>
    /// Server side of mutual TLS, chosen per handshake: pass to
    /// <see cref="SslStream.AuthenticateAsServerAsync(ServerOptionsSelectionCallback, object?, CancellationToken)"/>
    /// (or return its options from Kestrel's <c>TlsHandshakeCallbackOptions.OnConnection</c>). Each handshake presents
    /// the source's current SVID and requires a client SVID that verifies and is authorized.
    /// </summary>
    public static ServerOptionsSelectionCallback MtlsServer(
        IX509SvidSource svidSource,
        IX509BundleSource bundleSource,
        ISpiffeAuthorizer authorizer,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(svidSource);
        var validator = CreateValidator(bundleSource, authorizer, timeProvider);
        return (_, _, _, _) => ValueTask.FromResult(ServerOptions(svidSource.GetX509Svid(), validator));
    }

    /// <summary>Server side of one-way TLS (no client certificate), chosen per handshake.</summary>
    public static ServerOptionsSelectionCallback TlsServer(IX509SvidSource svidSource)
    {
        ArgumentNullException.ThrowIfNull(svidSource);
        return (_, _, _, _) => ValueTask.FromResult(ServerOptions(svidSource.GetX509Svid(), validator: null));
    }

    /// <summary>Options for one mutual-TLS server handshake with the source's current SVID.</summary>
    public static SslServerAuthenticationOptions CreateMtlsServerOptions(
        IX509SvidSource svidSource,
        IX509BundleSource bundleSource,
        ISpiffeAuthorizer authorizer,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(svidSource);
        return ServerOptions(svidSource.GetX509Svid(), CreateValidator(bundleSource, authorizer, timeProvider));
    }

    /// <summary>Options for one one-way TLS server handshake with the source's current SVID.</summary>
    public static SslServerAuthenticationOptions CreateTlsServerOptions(IX509SvidSource svidSource)
    {
        ArgumentNullException.ThrowIfNull(svidSource);
        return ServerOptions(svidSource.GetX509Svid(), validator: null);
    }

    /// <summary>Options for one TLS client handshake that verifies the server's SVID and presents none.</summary>
    public static SslClientAuthenticationOptions CreateTlsClientOptions(
        IX509BundleSource bundleSource,
        ISpiffeAuthorizer authorizer,
        TimeProvider? timeProvider = null) =>
        ClientOptions(svid: null, CreateValidator(bundleSource, authorizer, timeProvider));

    /// <summary>
    /// Options for one mutual-TLS client handshake: presents the source's current SVID (full chain) and verifies the
    /// server's. Create options per connection so that each connection takes the current SVID.
    /// </summary>
    public static SslClientAuthenticationOptions CreateMtlsClientOptions(
        IX509SvidSource svidSource,
        IX509BundleSource bundleSource,
        ISpiffeAuthorizer authorizer,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(svidSource);
        return ClientOptions(svidSource.GetX509Svid(), CreateValidator(bundleSource, authorizer, timeProvider));
    }

    /// <summary>The SPIFFE ID of the peer of a stream authenticated with these options (which verified it during the
    /// handshake); on any other stream the ID is read but not verified.</summary>
    /// <exception cref="SpiffeTlsException">The peer presented no certificate.</exception>
    /// <exception cref="X509SvidException">The peer certificate carries no single SPIFFE ID.</exception>
    public static SpiffeId GetPeerId(SslStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var certificate = stream.RemoteCertificate ?? throw new SpiffeTlsException("spiffetls: peer presented no certificate");
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return X509Svid.IdFromCertificate(leaf);
    }

    /// <summary>The certificate context (leaf with key + intermediates) presented for <paramref name="svid"/>.</summary>
    public static SslStreamCertificateContext GetCertificateContext(X509Svid svid)
    {
        ArgumentNullException.ThrowIfNull(svid);
        return s_contexts.GetValue(
            svid,
            static s => SslStreamCertificateContext.Create(
                s.Leaf,
                new X509Certificate2Collection(s.Intermediates.ToArray()),
                offline: true));
    }

    private static SpiffePeerValidator CreateValidator(
        IX509BundleSource bundleSource,
        ISpiffeAuthorizer authorizer,
        TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(bundleSource);
        ArgumentNullException.ThrowIfNull(authorizer);
        return new SpiffePeerValidator(bundleSource, authorizer, timeProvider ?? TimeProvider.System);
    }

    private static SslServerAuthenticationOptions ServerOptions(X509Svid svid, SpiffePeerValidator? validator) => new()
    {
        EnabledSslProtocols = SslProtocols.Tls13,
        ServerCertificateContext = GetCertificateContext(svid),
        ClientCertificateRequired = validator is not null,

        // A resumed session skips certificates: the peer would not be re-verified against the current bundle and
        // authorizer, and a rotated SVID would not be shown. Every connection does a full handshake.
        AllowTlsResume = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        CertificateChainPolicy = validator is null ? null : SpiffePeerValidator.OfflinePolicy(),
        RemoteCertificateValidationCallback = validator is null ? null : validator.Validate,
    };

    private static SslClientAuthenticationOptions ClientOptions(X509Svid? svid, SpiffePeerValidator validator) => new()
    {
        EnabledSslProtocols = SslProtocols.Tls13,
        ClientCertificateContext = svid is null ? null : GetCertificateContext(svid),
        AllowTlsResume = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        CertificateChainPolicy = SpiffePeerValidator.OfflinePolicy(),
        RemoteCertificateValidationCallback = validator.Validate,
    };
}
