namespace AgentFabric.Authorization;

/// <summary>Chooses and configures the policy decision point.</summary>
public sealed class PolicyDecisionPointOptions
{
    /// <summary>Embedded (default) or remote.</summary>
    public PolicyDecisionPointMode Mode { get; set; } = PolicyDecisionPointMode.Embedded;

    /// <summary>Remote mode: the server's base address, e.g. <c>http://127.0.0.1:8181/</c>.</summary>
    public Uri? RemoteAddress { get; set; }

    /// <summary>Remote mode: how long one decision may take before it fails closed.</summary>
    public TimeSpan RemoteTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock for evaluation times and timeouts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Makes decision ids; a random UUID by default, as OPA.</summary>
    public Func<string> NewDecisionId { get; set; } = NewUuid;

    internal static string NewUuid() => DecisionIds.NewUuid();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentException($"pdp options: unknown mode {(int)Mode}");
        }

        if (Mode == PolicyDecisionPointMode.Remote)
        {
            if (RemoteAddress is null)
            {
                throw new ArgumentException("pdp options: remote mode needs RemoteAddress");
            }

            if (!RemoteAddress.IsAbsoluteUri || RemoteAddress.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"pdp options: RemoteAddress '{RemoteAddress}' is not an absolute http(s) URI");
            }
        }

        if (RemoteTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"pdp options: RemoteTimeout must be positive, not {RemoteTimeout}");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(NewDecisionId);
    }
}
