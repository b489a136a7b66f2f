namespace AgentFabric.Agent.Config;

/// <summary>A bad agent configuration file or override: the message names the setting and what is wrong with it.</summary>
public sealed class AgentConfigException : Exception
{
    public AgentConfigException()
    {
    }

    public AgentConfigException(string message)
        : base(message)
    {
    }

    public AgentConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
