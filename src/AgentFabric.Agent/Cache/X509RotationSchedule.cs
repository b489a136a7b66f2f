namespace AgentFabric.Agent.Cache;

/// <summary>
/// When the agent replaces an X.509-SVID. The rule (SPIRE's, on the real lifetime): an SVID is replaced once less than
/// half of its lifetime remains, where the lifetime runs from the moment the agent asked for it to its notAfter, and
/// the replacement is requested a little ahead (<see cref="WorkloadSvidCacheOptions.RotationLead"/>) so that workloads
/// hold it before the half life rather than one check interval plus a signing round trip after it.
/// </summary>
internal static class X509RotationSchedule
{
    /// <summary>The instant from which a rotation check replaces the SVID.</summary>
    /// <param name="requestedAt">The agent's clock when it sent the CSR.</param>
    /// <param name="notBefore">The certificate's notBefore: the server backdates it (10 s here, as SPIRE does) for
    /// clock skew, so it is not when the SVID was issued.</param>
    /// <param name="notAfter">The certificate's notAfter.</param>
    /// <param name="lead">How far ahead of the half life the replacement is requested.</param>
    public static DateTimeOffset RotateAt(DateTimeOffset requestedAt, DateTimeOffset notBefore, DateTimeOffset notAfter, TimeSpan lead)
    {
        // Half of notAfter - notBefore would count the backdating as lived time: a 20 s SVID (30 s between its bounds)
        // would be replaced 5 s after issue instead of 10 s. The later of the request and notBefore is when it began
        // to serve (a server clock ahead of ours puts notBefore after the request).
        var start = notBefore > requestedAt ? notBefore : requestedAt;
        var lifetime = notAfter - start;
        if (lifetime <= TimeSpan.Zero)
        {
            // Expired on arrival (clocks far apart): replace it at the next check.
            return start;
        }

        // Very short SVIDs: the lead never takes more than a quarter of the lifetime, so an SVID still serves at
        // least a quarter of its life and checks do not re-issue it every time they run.
        var quarter = lifetime / 4;
        return start + (lifetime / 2) - (lead < quarter ? lead : quarter);
    }
}
