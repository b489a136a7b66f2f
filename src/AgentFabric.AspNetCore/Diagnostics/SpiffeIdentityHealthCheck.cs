using AgentFabric.Spiffe.Bundles.X509;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentFabric.AspNetCore;

/// <summary>
/// Readiness of the workload's identity: healthy while an X.509-SVID is in force with time left and the bundle of its
/// trust domain is present; degraded when the SVID is within <see cref="SpiffeWorkloadOptions.SvidExpiryWarning"/> of
/// expiring (rotation is late); unhealthy without an SVID, with an expired one, or without the bundle.
/// </summary>
internal sealed class SpiffeIdentityHealthCheck(SpiffeSources sources, SpiffeWorkloadOptions options, TimeProvider timeProvider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        Spiffe.Svid.X509.X509Svid svid;
        try
        {
            svid = sources.X509Svids.GetX509Svid();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return HealthCheckResult.Unhealthy("no X.509-SVID: " + e.Message);
        }

        var data = new Dictionary<string, object> { ["spiffe_id"] = svid.Id.ToString(), ["expires"] = svid.NotAfter.ToString("u") };
        try
        {
            if (sources.X509Bundles.GetX509BundleForTrustDomain(svid.Id.TrustDomain).IsEmpty)
            {
                return HealthCheckResult.Unhealthy($"the X.509 bundle of {svid.Id.TrustDomain} is empty", data: data);
            }
        }
        catch (X509BundleException e)
        {
            return HealthCheckResult.Unhealthy(e.Message, data: data);
        }

        var left = svid.NotAfter - timeProvider.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return HealthCheckResult.Unhealthy($"the X.509-SVID of {svid.Id} expired at {svid.NotAfter:u}", data: data);
        }

        return left <= options.SvidExpiryWarning
            ? HealthCheckResult.Degraded($"the X.509-SVID of {svid.Id} expires in {left:hh\\:mm\\:ss} and was not rotated", data: data)
            : HealthCheckResult.Healthy($"{svid.Id}, expires {svid.NotAfter:u}", data);
    }
}
