namespace AgentFabric.Spiffe.Svid.Jwt;

/// <summary>How <see cref="JwtSvid.Parse"/> reads the clock.</summary>
public sealed record JwtSvidValidationOptions
{
    /// <summary>System clock, no leeway.</summary>
    public static JwtSvidValidationOptions Default { get; } = new();

    /// <summary>The clock <c>exp</c> and <c>nbf</c> are compared with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Leeway for clocks that differ between issuer and validator (JWT-SVID App. A: "a small amount of leeway is
    /// acceptable"): a token is accepted until <c>exp + ClockSkew</c> and from <c>nbf - ClockSkew</c>. Zero by
    /// default; must not be negative.
    /// </summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.Zero;
}
