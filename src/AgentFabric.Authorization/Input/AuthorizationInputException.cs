namespace AgentFabric.Authorization.Input;

/// <summary>A claim or request detail cannot go into the authorization input (an <c>act.sub</c> that is not a SPIFFE
/// ID, a <c>scope</c> claim of the wrong type...). Callers deny.</summary>
public sealed class AuthorizationInputException : Exception
{
    internal AuthorizationInputException(string message)
        : base("authorization input: " + message)
    {
    }
}
