namespace ResearchAgents.Hosting;

/// <summary>An environment variable the agent needs is missing or malformed; the message names it and says why.</summary>
public sealed class AgentSettingsException : Exception
{
    public AgentSettingsException(string message)
        : base(message)
    {
    }

    public AgentSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
