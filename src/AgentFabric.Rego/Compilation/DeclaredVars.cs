using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Compilation;

/// <summary>A variable declared with <c>some x</c> that nothing else in its rule mentions is a
/// <c>rego_compile_error</c> "declared var x unused", as OPA reports in every mode: the declaration is dead, and
/// usually a misspelt name. A mention anywhere in the rule (head, body, nested bodies) counts, so shadowing can hide
/// a finding but never invents one.</summary>
internal static class DeclaredVars
{
    public static void Unused(Module module, List<RegoError> errors)
    {
        foreach (var first in module.Rules)
        {
            for (var rule = first; rule is not null; rule = rule.Else)
            {
                var mentioned = new HashSet<string>(StringComparer.Ordinal);
                var declared = new List<VarTerm>();
                StrictChecks.VisitRule(
                    rule,
                    t =>
                    {
                        if (t is VarTerm v)
                        {
                            mentioned.Add(v.Name);
                        }
                    },
                    e =>
                    {
                        if (e is SomeDeclExpr d)
                        {
                            declared.AddRange(d.Vars);
                        }
                    },
                    declarations: false);
                foreach (var v in declared)
                {
                    if (v.Name != "_" && !mentioned.Contains(v.Name))
                    {
                        errors.Add(new RegoError(RegoErrorCodes.CompileError, $"declared var {v.Name} unused", v.Location));
                    }
                }
            }
        }
    }
}
