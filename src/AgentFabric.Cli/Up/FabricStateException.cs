namespace AgentFabric.Cli.Up;

/// <summary>The state directory of <c>agentfabric up</c> cannot be used: not writable, a file in it is not what
/// <c>up</c> wrote, a port it recorded is taken. The message says what to do.</summary>
internal sealed class FabricStateException : Exception
{
    public FabricStateException()
    {
    }

    public FabricStateException(string message)
        : base(message)
    {
    }

    public FabricStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
