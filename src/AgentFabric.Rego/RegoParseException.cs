using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego;

/// <summary>A Rego module or query is not valid syntax (<c>rego_parse_error</c>).</summary>
public sealed class RegoParseException : RegoException
{
    /// <summary>A parse error at a location.</summary>
    public RegoParseException(string message, Location location)
        : base(RegoErrorCodes.ParseError, message, location)
    {
    }
}
