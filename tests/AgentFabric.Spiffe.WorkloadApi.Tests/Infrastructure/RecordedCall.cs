namespace AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>One RPC the fake endpoint received: method, its security header value (null when absent), the request
/// and when it arrived.</summary>
internal sealed record RecordedCall(string Method, string? SecurityHeader, object Request, DateTimeOffset At);
