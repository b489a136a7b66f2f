namespace AgentFabric.AspNetCore;

/// <summary>A token exchange failed: the edge refused it (<see cref="Error"/> is the OAuth error code, RFC 6749
/// §5.2 / RFC 8693 §2.2.2), or it could not be asked. The call it was for is not sent.</summary>
public sealed class TokenExchangeException : Exception
{
    public TokenExchangeException()
        : base("agentfabric: token exchange failed")
    {
    }

    public TokenExchangeException(string message)
        : base(message)
    {
    }

    public TokenExchangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal TokenExchangeException(string message, string? error, string? description, int? status, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        Description = description;
        Status = status;
    }

    /// <summary>The edge's <c>error</c>, or null when the edge was not reached or did not answer in OAuth form.</summary>
    public string? Error { get; }

    /// <summary>The edge's <c>error_description</c>, or null.</summary>
    public string? Description { get; }

    /// <summary>The edge's HTTP status, or null.</summary>
    public int? Status { get; }
}
