namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>A batch could not be uploaded after all attempts.</summary>
public sealed class DecisionLogUploadException : Exception
{
    internal DecisionLogUploadException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
