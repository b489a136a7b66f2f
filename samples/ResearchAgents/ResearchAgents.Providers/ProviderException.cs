namespace ResearchAgents.Providers;

/// <summary>A provider could not answer: an HTTP error, a timeout, or a response not in the documented format.
/// The message names the provider and the reason and never contains an API key.</summary>
public sealed class ProviderException : Exception
{
    public ProviderException(string message)
        : base(message)
    {
    }

    public ProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
