using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi;
using Microsoft.Extensions.Hosting;

namespace AgentFabric.AspNetCore;

/// <summary>
/// The live sources from the SPIFFE Workload API (<c>SPIFFE_ENDPOINT_SOCKET</c> or the configured address): started
/// with the host, before Kestrel accepts connections, and stopped with it. Until started every call throws, so a
/// handshake or a request fails closed instead of going on without an identity.
/// </summary>
internal sealed class WorkloadApiSources(WorkloadApiClientOptions? options)
    : IHostedService, IX509SvidSource, IX509BundleSource, IJwtSvidSource, IAsyncDisposable
{
    private X509Source? _x509;
    private JwtSource? _jwt;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _x509 = await X509Source.CreateAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        _jwt = await JwtSource.CreateAsync(options, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public X509Svid GetX509Svid() => X509.GetX509Svid();

    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        (_x509 ?? throw new X509BundleException("x509bundle: the Workload API X.509 source has not started"))
            .GetX509BundleForTrustDomain(trustDomain);

    public Task<JwtSvid> FetchJwtSvidAsync(string audience, CancellationToken cancellationToken = default) =>
        ((IJwtSvidSource)(_jwt ?? throw new JwtSvidException("jwtsvid: the Workload API JWT source has not started")))
            .FetchJwtSvidAsync(audience, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _x509, null) is { } x509)
        {
            await x509.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _jwt, null) is { } jwt)
        {
            await jwt.DisposeAsync().ConfigureAwait(false);
        }
    }

    private X509Source X509 => _x509 ?? throw new WorkloadApiException("workloadapi: the X.509 source has not started");
}
