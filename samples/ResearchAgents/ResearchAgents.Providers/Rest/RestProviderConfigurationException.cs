namespace ResearchAgents.Providers.Rest;

/// <summary>The environment configures a REST provider in a way that cannot work (a base URL that is not absolute
/// http(s), an empty model, two chat providers and no choice between them, …). Thrown at start, never per request;
/// the message names the variable and never contains a key.</summary>
public sealed class RestProviderConfigurationException : Exception
{
    public RestProviderConfigurationException(string message)
        : base(message)
    {
    }
}
