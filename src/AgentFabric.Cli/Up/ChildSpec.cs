namespace AgentFabric.Cli.Up;

/// <summary>
/// One child of <c>agentfabric up</c>, as data: how to start it, how to tell it is ready, what it needs started
/// first, which ports of the layout it binds, and its registration entry when it is a workload. Adding a process to
/// the fabric is adding a spec to <see cref="FabricChildren"/>.
/// </summary>
internal sealed record ChildSpec
{
    public required string Name { get; init; }

    /// <summary>The command line, built at each start (the agent's depends on whether a join token is waiting).</summary>
    public required Func<ChildCommand> Command { get; init; }

    public required ReadinessProbe Readiness { get; init; }

    /// <summary>What to open or point a client at (shown by <c>up</c> and <c>status</c>).</summary>
    public required string Url { get; init; }

    /// <summary>Names in <see cref="FabricLayout.Ports"/> the child listens on: checked free before anything starts.</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];

    /// <summary>Children that must be ready before this one starts; when one is skipped, so is this one.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>The registration entry of a child that is a workload (registered before any child starts).</summary>
    public WorkloadRegistration? Workload { get; init; }

    /// <summary>Why the child cannot run here (e.g. <c>not built yet</c>); null when it can.</summary>
    public string? Unavailable { get; init; }

    /// <summary>Runs before every start, restarts included; may return a line for the progress display.</summary>
    public Func<CancellationToken, Task<string?>>? BeforeStart { get; init; }

    /// <summary>Runs once the child is first ready, before the next child starts; may return a line for the
    /// progress display.</summary>
    public Func<CancellationToken, Task<string?>>? AfterReady { get; init; }
}
