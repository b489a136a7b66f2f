namespace AgentFabric.Rego.Conformance;

internal enum CaseStatus
{
    Passed,
    Failed,
    Skipped,
}

internal sealed record CaseOutcome(CaseStatus Status, string? Detail = null);
