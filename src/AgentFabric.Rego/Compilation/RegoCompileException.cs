using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego;

/// <summary>Modules or a query could not be compiled: <c>rego_compile_error</c>, <c>rego_type_error</c>,
/// <c>rego_unsafe_var_error</c> or <c>rego_recursion_error</c>.</summary>
public sealed class RegoCompileException : RegoException
{
    /// <summary>A compile error with an explicit code.</summary>
    public RegoCompileException(string code, string reason, Location? location)
        : base(code, reason, location)
    {
    }

    /// <summary>A <c>rego_compile_error</c>.</summary>
    public RegoCompileException(string reason, Location? location)
        : base(RegoErrorCodes.CompileError, reason, location)
    {
    }
}
