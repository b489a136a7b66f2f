namespace AgentFabric.Rego;

/// <summary>OPA's error codes, which appear verbatim in error messages (<c>test-0.rego:4: eval_type_error: ...</c>).</summary>
public static class RegoErrorCodes
{
    /// <summary>The source text is not valid Rego.</summary>
    public const string ParseError = "rego_parse_error";

    /// <summary>A module is valid syntax but cannot be compiled (conflicts, bad imports, strict-mode violations).</summary>
    public const string CompileError = "rego_compile_error";

    /// <summary>A builtin call or expression does not type-check.</summary>
    public const string TypeError = "rego_type_error";

    /// <summary>A variable is used where nothing can bind it.</summary>
    public const string UnsafeVarError = "rego_unsafe_var_error";

    /// <summary>Rules or functions depend on themselves.</summary>
    public const string RecursionError = "rego_recursion_error";

    /// <summary>A complete rule, function or object rule produced conflicting outputs.</summary>
    public const string ConflictError = "eval_conflict_error";

    /// <summary>A builtin received an operand of the wrong type.</summary>
    public const string EvalTypeError = "eval_type_error";

    /// <summary>A builtin failed for another reason.</summary>
    public const string BuiltinError = "eval_builtin_error";

    /// <summary>An evaluation was cancelled or exceeded a resource limit.</summary>
    public const string CancelError = "eval_cancel_error";

    /// <summary>An internal evaluation failure (a defect, or a limit on output size).</summary>
    public const string InternalError = "eval_internal_error";
}
