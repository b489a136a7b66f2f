using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego;

/// <summary>Evaluation failed: a conflict (<c>eval_conflict_error</c>), a builtin error (<c>eval_type_error</c>,
/// <c>eval_builtin_error</c>), cancellation or an exceeded limit (<c>eval_cancel_error</c>).</summary>
public sealed class RegoEvaluationException : RegoException
{
    /// <summary>An evaluation error.</summary>
    public RegoEvaluationException(string code, string reason, Location? location, Exception? inner = null)
        : base(code, reason, location, inner)
    {
    }
}
