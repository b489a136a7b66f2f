namespace AgentFabric.Authorization.Bundles;

/// <summary>A bundle was refused; <see cref="Reason"/> says why and the message names the file and the rule.</summary>
public sealed class BundleException : Exception
{
    /// <summary>A refusal of bundle <paramref name="bundle"/>.</summary>
    public BundleException(string bundle, BundleErrorReason reason, string detail, Exception? inner = null)
        : base($"bundle {bundle}: {detail}", inner)
    {
        Bundle = bundle;
        Reason = reason;
        Detail = detail;
    }

    /// <summary>The bundle's name.</summary>
    public string Bundle { get; }

    /// <summary>Why it was refused.</summary>
    public BundleErrorReason Reason { get; }

    /// <summary>The message without the bundle name.</summary>
    public string Detail { get; }
}
