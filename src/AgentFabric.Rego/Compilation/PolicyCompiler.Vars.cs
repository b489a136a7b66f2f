using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Compilation;

internal sealed partial class PolicyCompiler
{
    /// <summary>Every local slot a term reads or binds; for comprehensions only the captured outer slots.</summary>
    internal static void AllVars(Term t, HashSet<int> set)
    {
        switch (t)
        {
            case VarTerm v when v.Slot >= 0:
                set.Add(v.Slot);
                break;
            case RefTerm r:
                AllVars(r.Head, set);
                foreach (var p in r.Path)
                {
                    AllVars(p, set);
                }

                break;
            case ArrayTerm a:
                foreach (var i in a.Items)
                {
                    AllVars(i, set);
                }

                break;
            case SetTerm s:
                foreach (var i in s.Items)
                {
                    AllVars(i, set);
                }

                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Entries)
                {
                    AllVars(k, set);
                    AllVars(v, set);
                }

                break;
            case CallTerm c:
                foreach (var a in c.Args)
                {
                    AllVars(a, set);
                }

                break;
            case ComprehensionTerm comp:
                set.UnionWith(comp.Captured);
                break;
            case TemplateStringTerm ts:
                foreach (var p in ts.Parts)
                {
                    if (p is Term pt)
                    {
                        AllVars(pt, set);
                    }
                }

                break;
        }
    }

    /// <summary>Slots a term can bind when unified with a value: bare variables and variables inside array and
    /// object value positions, plus variables a reference enumerates.</summary>
    internal static void PatternVars(Term t, HashSet<int> set)
    {
        switch (t)
        {
            case VarTerm v when v.Slot >= 0:
                set.Add(v.Slot);
                break;
            case ArrayTerm a:
                foreach (var i in a.Items)
                {
                    PatternVars(i, set);
                }

                break;
            case ObjectTerm o:
                foreach (var (_, v) in o.Entries)
                {
                    PatternVars(v, set);
                }

                break;
            default:
                RefPathVars(t, set);
                break;
        }
    }

    /// <summary>Slots used as keys of references (they are bound by enumerating the referenced collection).</summary>
    internal static void RefPathVars(Term t, HashSet<int> set)
    {
        switch (t)
        {
            case RefTerm r:
                RefPathVars(r.Head, set);
                foreach (var p in r.Path)
                {
                    if (p is VarTerm v && v.Slot >= 0)
                    {
                        set.Add(v.Slot);
                    }
                    else if (p is ArrayTerm or ObjectTerm)
                    {
                        PatternVars(p, set);
                    }
                    else
                    {
                        RefPathVars(p, set);
                    }
                }

                break;
            case ArrayTerm a:
                foreach (var i in a.Items)
                {
                    RefPathVars(i, set);
                }

                break;
            case SetTerm s:
                foreach (var i in s.Items)
                {
                    RefPathVars(i, set);
                }

                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Entries)
                {
                    RefPathVars(k, set);
                    RefPathVars(v, set);
                }

                break;
            case CallTerm c:
                foreach (var a in c.Args)
                {
                    RefPathVars(a, set);
                }

                break;
        }
    }
}
