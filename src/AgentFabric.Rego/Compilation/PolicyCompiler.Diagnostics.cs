using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Compilation;

internal sealed partial class PolicyCompiler
{
    // Errors of the running stage. OPA's compiler collects the errors of a stage (one rule's failure does not hide
    // another's) and stops after the first stage that reported any.
    private readonly List<RegoError> _errors = [];

    // OPA's strict-mode stages, before compilation proper. Rego v1 enforces the duplicate-import, input/data and
    // deprecated-builtin checks by default (OPA 1.0), v0 only in strict mode.
    private void RunStrictStages(bool strict)
    {
        if (strict)
        {
            RunStage(() => _modules.ForEach(m => StrictChecks.UnusedImports(m, _errors)));
        }

        RunStage(() => _modules.Where(m => strict || m.Version == RegoVersion.V1).ToList()
            .ForEach(m => StrictChecks.DuplicateImports(m, _errors)));

        RunStage(() => _modules.Where(m => strict || m.Version == RegoVersion.V1).ToList()
            .ForEach(m => StrictChecks.RootDocumentOverrides(m, _errors)));
        // OPA reports unused `some` declarations in every mode, in the stage that (in strict mode) also reports
        // unused assignments.
        RunStage(() => _modules.ForEach(m =>
        {
            DeclaredVars.Unused(m, _errors);
            if (strict)
            {
                StrictChecks.UnusedLocals(m, _errors);
            }
        }));

        RunStage(() => _modules.Where(m => strict || m.Version == RegoVersion.V1).ToList()
            .ForEach(m => StrictChecks.DeprecatedBuiltins(m, _builtins, _errors)));
    }

    /// <summary>Runs one stage, then throws every error it collected.</summary>
    private void RunStage(Action stage)
    {
        try
        {
            stage();
        }
        catch (Exception e) when (_errors.Count > 0 && e is not RegoCompileException and not OutOfMemoryException)
        {
            // A failure after a reported error may be a consequence of it (a half-compiled rule): the reported errors
            // are the diagnosis.
        }

        if (_errors.Count > 0)
        {
            throw RegoCompileException.Collected(_errors);
        }
    }

    /// <summary>Runs one unit of a stage (a rule, a node), recording its errors instead of stopping the stage.</summary>
    private void Collect(Action unit, Func<RegoError, RegoError>? describe = null)
    {
        try
        {
            unit();
        }
        catch (RegoCompileException e)
        {
            foreach (var error in e.Errors)
            {
                _errors.Add(describe is null ? error : describe(error));
            }
        }
    }

    /// <summary>Several rules may be declared on one line, so a position alone may not say which rule a diagnostic is
    /// about: when the failing rule's line declares rules of more than one name, an unsafe-var message names the rule
    /// (as OPA does since issue 4967). Rules of one name on a line (an else chain, repeated definitions) stay
    /// unnamed.</summary>
    private static RegoError NameRuleOnSharedLine(RegoError e, Module module, Rule rule)
    {
        if (e.Code != RegoErrorCodes.UnsafeVarError)
        {
            return e;
        }

        var line = rule.Location.Line;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in module.Rules)
        {
            for (var x = r; x is not null; x = x.Else)
            {
                if (x.Location.Line == line)
                {
                    names.Add(x.HeadText);
                }
            }
        }

        return names.Count > 1 ? e with { Reason = $"{e.Reason} in rule {rule.HeadText}" } : e;
    }
}
