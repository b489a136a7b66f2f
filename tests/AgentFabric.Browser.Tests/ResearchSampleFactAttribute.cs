namespace AgentFabric.Browser.Tests;

/// <summary>A fact that needs chromium and the research-agents sample built (its three executables where
/// <c>agentfabric up</c> looks for them); skipped, saying which is missing, otherwise.</summary>
public sealed class ResearchSampleFactAttribute : ChromiumFactAttribute
{
    public ResearchSampleFactAttribute()
    {
        Skip ??= SampleBuiltFactAttribute.NotBuilt();
    }
}
