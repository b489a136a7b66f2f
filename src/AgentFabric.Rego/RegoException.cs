using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego;

/// <summary>Base of the engine's errors: an OPA error code, a reason and a location. <see cref="Exception.Message"/>
/// is OPA's full text: <c>file:line: code: reason</c>.</summary>
public abstract class RegoException : Exception
{
    private protected RegoException(string code, string reason, Location? location, Exception? inner = null)
        : this(code, reason, location, Format(code, reason, location), inner)
    {
    }

    // For an exception whose message is not the single error's text (several compile errors).
    private protected RegoException(string code, string reason, Location? location, string message, Exception? inner)
        : base(message, inner)
    {
        Code = code;
        Reason = reason;
        Location = location;
    }

    /// <summary>OPA's error code, e.g. <c>rego_parse_error</c>.</summary>
    public string Code { get; }

    /// <summary>The reason without code and location.</summary>
    public string Reason { get; }

    /// <summary>Where the error is, when known.</summary>
    public Location? Location { get; }

    internal static string Format(string code, string reason, Location? location) =>
        location is { } l ? $"{l.File}:{l.Line}: {code}: {reason}" : $"{code}: {reason}";
}
