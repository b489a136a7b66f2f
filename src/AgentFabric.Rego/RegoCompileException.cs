using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego;

/// <summary>Modules or a query could not be compiled: <c>rego_compile_error</c>, <c>rego_type_error</c>,
/// <c>rego_unsafe_var_error</c> or <c>rego_recursion_error</c>.</summary>
/// <remarks>The compiler reports every error of the stage that failed (as OPA does, up to
/// <see cref="ErrorLimit"/>), in <see cref="Errors"/>, sorted by location. <see cref="RegoException.Code"/>,
/// <see cref="RegoException.Reason"/> and <see cref="RegoException.Location"/> are the first error's. The message is
/// the single error's text, or for several OPA's list: <c>2 errors occurred:</c> then one
/// <c>file:line: code: reason</c> per line.</remarks>
public sealed class RegoCompileException : RegoException
{
    /// <summary>How many errors the compiler reports before it stops with <c>error limit reached</c> (OPA's
    /// <c>CompileErrorLimitDefault</c>).</summary>
    public const int ErrorLimit = 10;

    /// <summary>The reason of the error that marks a truncated list.</summary>
    public const string ErrorLimitReason = "error limit reached";

    /// <summary>A compile error with an explicit code.</summary>
    public RegoCompileException(string code, string reason, Location? location)
        : base(code, reason, location)
    {
        Errors = [new RegoError(code, reason, location)];
    }

    /// <summary>A <c>rego_compile_error</c>.</summary>
    public RegoCompileException(string reason, Location? location)
        : this(RegoErrorCodes.CompileError, reason, location)
    {
    }

    /// <summary>Several errors, kept in the given order (at least one).</summary>
    public RegoCompileException(IReadOnlyList<RegoError> errors)
        : base(First(errors).Code, First(errors).Reason, First(errors).Location, FormatAll(errors), null)
    {
        Errors = [.. errors];
    }

    /// <summary>Every error, the first being the one the exception's own properties describe.</summary>
    public IReadOnlyList<RegoError> Errors { get; }

    /// <summary>OPA's text of several errors: <c>N errors occurred:</c> and one error per line; a single error is
    /// its own text.</summary>
    public static string FormatAll(IReadOnlyList<RegoError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1
            ? errors[0].ToString()
            : $"{errors.Count} errors occurred:\n{string.Join('\n', errors)}";
    }

    /// <summary>The exception for errors collected by a compile stage: sorted by location, at most
    /// <see cref="ErrorLimit"/> of them followed by <c>rego_compile_error: error limit reached</c>.</summary>
    internal static RegoCompileException Collected(IEnumerable<RegoError> errors)
    {
        var sorted = errors.Distinct().ToList();
        sorted.Sort(RegoError.CompareByLocation);
        if (sorted.Count > ErrorLimit)
        {
            sorted.RemoveRange(ErrorLimit, sorted.Count - ErrorLimit);
            sorted.Add(new RegoError(RegoErrorCodes.CompileError, ErrorLimitReason, null));
        }

        return new RegoCompileException(sorted);
    }

    private static RegoError First(IReadOnlyList<RegoError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count > 0 ? errors[0] : throw new ArgumentException("at least one error is required", nameof(errors));
    }
}
