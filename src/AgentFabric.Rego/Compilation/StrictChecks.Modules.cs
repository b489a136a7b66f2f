using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Compilation;

// The module-level strict checks (OPA docs "Strict Mode"): unused imports, rules and variables named input or data,
// and calls of deprecated builtins. Rego v1 enforces the last two without strict mode (OPA 1.0 made them default).
internal static partial class StrictChecks
{
    private static readonly HashSet<string> RootDocuments = new(StringComparer.Ordinal) { "input", "data" };

    /// <summary>Imports of <c>data</c> or <c>input</c> whose name no rule mentions: <c>import data.foo unused</c>.</summary>
    public static void UnusedImports(Module module, List<RegoError> errors)
    {
        var mentioned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var first in module.Rules)
        {
            for (var rule = first; rule is not null; rule = rule.Else)
            {
                VisitRule(rule, t =>
                {
                    if (t is VarTerm v)
                    {
                        mentioned.Add(v.Name);
                    }
                });
            }
        }

        foreach (var imp in module.Imports)
        {
            // future.keywords.* and rego.v1 only switch syntax on.
            if (imp.Path.Head is VarTerm { Name: "data" or "input" } && !mentioned.Contains(imp.Name))
            {
                errors.Add(new RegoError(RegoErrorCodes.CompileError, $"{ImportText(imp)} unused", imp.Location));
            }
        }
    }

    /// <summary>An import whose name an earlier import of the module already binds: <c>import must not shadow
    /// import data.foo</c>.</summary>
    public static void DuplicateImports(Module module, List<RegoError> errors)
    {
        var seen = new Dictionary<string, Import>(StringComparer.Ordinal);
        foreach (var imp in module.Imports)
        {
            if (imp.Path.Head is not VarTerm { Name: "data" or "input" })
            {
                continue;
            }

            if (seen.TryGetValue(imp.Name, out var earlier))
            {
                errors.Add(new RegoError(RegoErrorCodes.CompileError, $"import must not shadow {ImportText(earlier)}", imp.Location));
            }
            else
            {
                seen[imp.Name] = imp;
            }
        }
    }

    /// <summary>OPA's text of an import: <c>import data.foo</c>, <c>import input.x as y</c>.</summary>
    public static string ImportText(Import imp) =>
        imp.Alias is null ? $"import {imp.Path}" : $"import {imp.Path} as {imp.Alias}";

    /// <summary>Rules, function arguments and <c>:=</c> locals named <c>input</c> or <c>data</c>, which would hide the
    /// root documents.</summary>
    public static void RootDocumentOverrides(Module module, List<RegoError> errors)
    {
        foreach (var first in module.Rules)
        {
            for (var rule = first; rule is not null; rule = rule.Else)
            {
                if (rule == first && RootDocuments.Contains(rule.Name))
                {
                    errors.Add(new RegoError(RegoErrorCodes.CompileError, $"rules must not shadow {rule.Name} (use a different rule name)", rule.Location));
                }

                foreach (var arg in rule == first ? rule.Args ?? [] : [])
                {
                    if (arg is VarTerm v && RootDocuments.Contains(v.Name))
                    {
                        errors.Add(new RegoError(RegoErrorCodes.CompileError, $"args must not shadow {v.Name} (use a different variable name)", v.Location));
                    }
                }

                VisitRule(rule, _ => { }, e =>
                {
                    if (e is UnifyExpr { IsAssignment: true, Left: VarTerm target } && RootDocuments.Contains(target.Name))
                    {
                        errors.Add(new RegoError(RegoErrorCodes.CompileError, $"variables must not shadow {target.Name} (use a different variable name)", e.Location));
                    }
                });
            }
        }
    }

    /// <summary>Calls of builtins OPA deprecated (<c>any</c>, <c>all</c>, <c>re_match</c>, <c>net.cidr_overlap</c>,
    /// <c>set_diff</c>, <c>cast_*</c>): a <c>rego_type_error</c> at the expression.</summary>
    public static void DeprecatedBuiltins(Module module, BuiltinRegistry builtins, List<RegoError> errors)
    {
        var own = new HashSet<string>(module.Rules.Select(r => r.Name), StringComparer.Ordinal);
        foreach (var first in module.Rules)
        {
            for (var rule = first; rule is not null; rule = rule.Else)
            {
                VisitRule(rule, t =>
                {
                    if (t is CallTerm call && CalledName(call.Operator) is { } name && !own.Contains(name.Split('.')[0]) &&
                        builtins.TryGet(name, out var builtin) && builtin.Flags.HasFlag(BuiltinFlags.Deprecated))
                    {
                        errors.Add(new RegoError(RegoErrorCodes.TypeError, $"deprecated built-in function calls in expression: {name}", call.Location));
                    }
                });
            }
        }
    }

    private static string? CalledName(Term op) => op switch
    {
        VarTerm v => v.Name,
        RefTerm r when r.Head is VarTerm && r.Path.All(p => p is ScalarTerm { Value: StringValue }) => r.ToString(),
        _ => null,
    };
}
