using AgentFabric.Server.Registration;

namespace AgentFabric.Server.Federation;

/// <summary>What <c>bundle delete -mode</c> does with the registration entries that federate with the trust domain
/// (SPIRE's BatchDeleteFederatedBundle modes).</summary>
public enum BundleDeleteMode
{
    /// <summary>Refuse while any entry federates with it (the default).</summary>
    Restrict,

    /// <summary>Delete those entries too.</summary>
    Delete,

    /// <summary>Remove the trust domain from those entries' federates-with list.</summary>
    Dissociate,
}

public static class BundleDeleteModes
{
    /// <summary>Parses "restrict" (or empty), "delete" or "dissociate".</summary>
    /// <exception cref="RegistrationException">Another value (InvalidArgument).</exception>
    public static BundleDeleteMode Parse(string? mode) => mode switch
    {
        null or "" or "restrict" => BundleDeleteMode.Restrict,
        "delete" => BundleDeleteMode.Delete,
        "dissociate" => BundleDeleteMode.Dissociate,
        _ => throw new RegistrationException(RegistrationError.InvalidArgument, $"bundle: unsupported mode \"{mode}\""),
    };
}
