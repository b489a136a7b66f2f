namespace AgentFabric.Browser.Tests;

/// <summary>Tests that keep both cores busy on purpose (the rotation test asks without pause for 65 s): they run
/// alone, after the others, so the browser tests' timeouts never measure this load instead of the page.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadTestCollection
{
    public const string Name = "load";
}
