using System.Runtime.CompilerServices;

namespace AgentFabric.Rego.Evaluation;

// A rule's value is computed when first referenced, by recursion: a chain of rules (or functions) each using the next
// nests one set of evaluator frames per link. OPA runs on Go's growable stacks; a .NET thread's stack is fixed, and
// overflowing it ends the process. So each rule and function entry checks the stack first and fails closed with an
// evaluation error when too little is left (the bound is the thread's stack, so a bigger stack allows longer chains).
internal sealed partial class Evaluator
{
    /// <summary>The reason of the error raised when rules and functions nest deeper than the stack allows.</summary>
    internal const string StackExhaustedReason = "evaluation exceeded the maximum depth of nested rule and function calls (stack)";

    private static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            // No location: where the stack runs out depends on the runtime and the thread, not on the policy.
            throw new RegoEvaluationException(RegoErrorCodes.InternalError, StackExhaustedReason, null);
        }
    }
}
