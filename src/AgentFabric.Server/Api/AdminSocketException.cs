namespace AgentFabric.Server.Api;

/// <summary>
/// The Admin API socket could not be reached: no socket file at the path, or nobody listening on it. The Admin
/// channel raises it from its connect callback so that a client can name the path; the socket layer's own message
/// for a missing Unix socket is "Cannot assign requested address" and HTTP adds a meaningless "(localhost:80)".
/// </summary>
public sealed class AdminSocketException : IOException
{
    public AdminSocketException()
    {
    }

    public AdminSocketException(string message)
        : base(message)
    {
    }

    public AdminSocketException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The first <see cref="AdminSocketException"/> in <paramref name="error"/>'s inner exceptions (itself
    /// included), or null.</summary>
    public static AdminSocketException? Find(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is AdminSocketException found)
            {
                return found;
            }
        }

        return null;
    }
}
