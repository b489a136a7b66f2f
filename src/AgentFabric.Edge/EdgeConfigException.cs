namespace AgentFabric.Edge;

/// <summary>The edge's settings or its data directory cannot be used; the message names what is wrong.</summary>
public sealed class EdgeConfigException : Exception
{
    public EdgeConfigException(string message) : base(message) { }

    public EdgeConfigException(string message, Exception inner) : base(message, inner) { }
}
