using AgentFabric.Authorization;

namespace AgentFabric.PolicyServer.Envoy;

/// <summary>Settings of the Envoy ext_authz Check service (OPA-Envoy's <c>envoy_ext_authz_grpc</c> plugin settings).</summary>
public sealed class EnvoyExtAuthzOptions
{
    /// <summary>OPA-Envoy's default decision path.</summary>
    public const string DefaultPath = "envoy/authz/allow";

    /// <summary>The rule asked for each Check (OPA-Envoy's <c>path</c>), e.g. <c>envoy/authz/allow</c>.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>When true, <c>input.parsed_body</c> and <c>input.truncated_body</c> are left out (OPA-Envoy's
    /// <c>skip-request-body-parse</c>).</summary>
    public bool SkipRequestBodyParse { get; set; }

    /// <summary>The largest request body (Envoy's <c>with_request_body</c>) parsed into <c>input.parsed_body</c>; a
    /// larger one fails the Check (fail closed) instead of being parsed.</summary>
    public int MaxParsedBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>When set, the Check service answers only on this local port (its own Kestrel endpoint); other ports
    /// of the host return 404 for it.</summary>
    public int? Port { get; set; }

    /// <summary>The parsed <see cref="Path"/>, valid after <see cref="Validate"/>.</summary>
    internal DecisionPath DecisionPath { get; private set; } = DecisionPath.Parse(DefaultPath);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (!DecisionPath.TryParse(Path, out var parsed, out var error))
        {
            throw new ArgumentException($"envoy ext_authz: path: {error}", nameof(Path));
        }

        if (MaxParsedBodyBytes < 0)
        {
            throw new ArgumentException($"envoy ext_authz: max parsed body bytes must be >= 0, got {MaxParsedBodyBytes}", nameof(MaxParsedBodyBytes));
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"envoy ext_authz: port must be 1-65535, got {Port}", nameof(Port));
        }

        DecisionPath = parsed;
    }
}
