using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Compilation;

internal sealed partial class PolicyCompiler
{
    /// <summary>Several rules may be declared on one line, so a position alone may not say which rule a diagnostic is
    /// about: when the failing rule's line declares rules of more than one name, the message names the rule (as OPA
    /// does since issue 4967). Rules of one name on a line (an else chain, repeated definitions) stay unnamed.</summary>
    private static RegoCompileException NameRuleOnSharedLine(RegoCompileException e, Module module, Rule rule)
    {
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

        return names.Count > 1
            ? new RegoCompileException(e.Code, $"{e.Reason} in rule {rule.HeadText}", e.Location)
            : e;
    }
}
