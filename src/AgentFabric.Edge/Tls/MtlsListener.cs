using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Edge.Hosting;
using AgentFabric.Spiffe.Tls;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace AgentFabric.Edge.Tls;

/// <summary>
/// The listener for mutual TLS (RFC 8705 §2): it asks every client for a certificate but lets the handshake finish
/// without one or with one it does not trust, keeping the certificates the client sent (leaf and intermediates) on
/// the connection. The token endpoint then verifies them as an X.509-SVID against the configured bundles with the
/// injected clock, so a bad certificate is an OAuth <c>invalid_client</c> with a reason, not a TLS alert.
/// </summary>
internal static class MtlsListener
{
    private static readonly object s_itemKey = new();

    /// <summary>Listens on <paramref name="endpoint"/>'s host and port (or the issuer's when it is the only one).</summary>
    public static void Listen(KestrelServerOptions kestrel, Uri endpoint, Action<ListenOptions> configure)
    {
        if (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, endpoint.Port, configure);
        }
        else if (endpoint.IsLoopback)
        {
            kestrel.ListenLocalhost(endpoint.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(endpoint.Port, configure);
        }
    }

    /// <summary>TLS on <paramref name="listen"/> with the server certificate <paramref name="serverCertificate"/>
    /// picks per handshake (so a rotated X.509-SVID is shown by the next connection).</summary>
    public static void UseMtls(ListenOptions listen, Func<SslStreamCertificateContext> serverCertificate)
    {
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context =>
            {
                var connection = context.Connection;
                return ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ServerCertificateContext = serverCertificate(),
                    ClientCertificateRequired = true, // asked for; a client without one still connects
                    // A resumed session carries no certificate to keep: every connection does a full handshake.
                    AllowTlsResume = false,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    CertificateChainPolicy = OfflinePolicy(),
                    RemoteCertificateValidationCallback = (_, certificate, chain, _) => Keep(connection, certificate, chain),
                });
            },
        });
    }

    /// <summary>The certificate chain the client sent on this request's connection (leaf first), or null when the
    /// request did not come over the mTLS listener with a client certificate.</summary>
    public static IReadOnlyList<X509Certificate2>? PresentedChain(HttpContext http)
    {
        if (http.Features.Get<IConnectionItemsFeature>()?.Items is { } items
            && items.TryGetValue(s_itemKey, out var kept) && kept is IReadOnlyList<X509Certificate2> chain)
        {
            return chain;
        }

        // Not ours (no TLS, or the server did not keep the chain): the leaf alone, when there is one.
        return http.Connection.ClientCertificate is { } leaf ? [leaf] : null;
    }

    /// <summary>The server certificate from a PEM chain file and key file (leaf first, then intermediates).</summary>
    /// <exception cref="EdgeConfigException">The files cannot be read or do not hold a certificate and its key.</exception>
    public static SslStreamCertificateContext LoadCertificate(string certificatePath, string keyPath)
    {
        try
        {
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certificatePath);
            var leaf = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            var intermediates = new X509Certificate2Collection();
            foreach (var certificate in chain.Skip(1))
            {
                intermediates.Add(certificate);
            }

            return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new EdgeConfigException($"edge: cannot load the mTLS certificate {certificatePath} with key {keyPath}: {e.Message}", e);
        }
    }

    /// <summary>The server certificate the options name: the PEM files, else the edge's own X.509-SVID.</summary>
    public static Func<SslStreamCertificateContext> ServerCertificate(EdgeOptions options, EdgeTrustSources trust)
    {
        if (options.MtlsCertificatePath is not null)
        {
            var context = LoadCertificate(options.MtlsCertificatePath, options.MtlsKeyPath!);
            return () => context;
        }

        var svid = trust.OwnSvid ?? throw new EdgeConfigException("edge: the mTLS endpoint needs a server certificate");
        return () => SpiffeTls.GetCertificateContext(svid.GetX509Svid());
    }

    private static bool Keep(ConnectionContext connection, X509Certificate? certificate, X509Chain? chain)
    {
        if (certificate is null)
        {
            return true; // RFC 8705 §2: the client may authenticate otherwise (a JWT-SVID assertion)
        }

        // Copies: the handshake's objects are disposed with it. The certificates the client sent after its leaf
        // reach the callback in the chain's extra store.
        var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var presented = new List<X509Certificate2> { leaf };
        if (chain is not null)
        {
            foreach (var extra in chain.ChainPolicy.ExtraStore)
            {
                if (!extra.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                {
                    presented.Add(X509CertificateLoader.LoadCertificate(extra.RawData));
                }
            }
        }

        connection.Items[s_itemKey] = presented.AsReadOnly();
        return true;
    }

    /// <summary>Keeps SslStream's own chain build offline and cheap; its result is ignored (we verify per request).</summary>
    private static X509ChainPolicy OfflinePolicy() => new()
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        RevocationMode = X509RevocationMode.NoCheck,
        DisableCertificateDownloads = true,
    };
}
