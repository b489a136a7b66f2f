namespace AgentFabric.Rego;

/// <summary>Thrown by a builtin implementation to report an error. The message is the bare reason
/// (<c>operand 1 must be string but got number</c>, <c>divide by zero</c>); the evaluator prefixes the builtin's name
/// and the call's location, giving OPA's <c>test-0.rego:4: eval_type_error: upper: operand 1 ...</c>.</summary>
/// <remarks>Use <see cref="Builtins.BuiltinArgs"/> for operand checks rather than formatting operand messages by hand.</remarks>
public sealed class RegoBuiltinException : Exception
{
    /// <summary>An <c>eval_builtin_error</c> with the given reason.</summary>
    public RegoBuiltinException(string message)
        : this(RegoErrorCodes.BuiltinError, message)
    {
    }

    /// <summary>An error with an explicit code (<see cref="RegoErrorCodes.EvalTypeError"/> or
    /// <see cref="RegoErrorCodes.BuiltinError"/>).</summary>
    public RegoBuiltinException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>An <c>eval_builtin_error</c> wrapping a failure of a library the builtin uses.</summary>
    public RegoBuiltinException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = RegoErrorCodes.BuiltinError;
    }

    /// <summary>An <c>eval_builtin_error</c> with no reason (prefer the other constructors).</summary>
    public RegoBuiltinException()
        : this(RegoErrorCodes.BuiltinError, "builtin error")
    {
    }

    /// <summary>OPA's error code: <c>eval_type_error</c> or <c>eval_builtin_error</c>.</summary>
    public string Code { get; }

    /// <summary>Whether the error ends the evaluation even without strict builtin errors (which otherwise turn a
    /// builtin error into an undefined call): for failures that must never pass silently.</summary>
    public bool Halts { get; init; }

    /// <summary>An <c>eval_builtin_error</c> for a limit the builtin reached (a size, a depth, a time): it
    /// <see cref="Halts"/>, so a limit is never mistaken for an undefined call (where <c>not f(x)</c> would hold).</summary>
    public static RegoBuiltinException LimitReached(string message, Exception? innerException = null) =>
        innerException is null ? new(message) { Halts = true } : new(message, innerException) { Halts = true };

    /// <summary>An <c>eval_type_error</c> (operand of the wrong type) with the given reason.</summary>
    public static RegoBuiltinException TypeError(string message) => new(RegoErrorCodes.EvalTypeError, message);
}
