namespace AgentFabric.Server.Config;

/// <summary>A server configuration file or override is invalid; the message names the setting ("config: ...").</summary>
public sealed class ServerConfigException : Exception
{
    public ServerConfigException()
    {
    }

    public ServerConfigException(string message)
        : base(message)
    {
    }

    public ServerConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
