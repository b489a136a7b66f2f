using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Compilation;

// Rules and functions may not depend on themselves (OPA: rego_recursion_error). Dependencies are the rule-tree
// nodes a rule's references and calls reach; a reference that stops above the rules (data.pkg) depends on every
// rule below that point.
internal sealed partial class PolicyCompiler
{
    // Each rule-tree node's dependencies, kept for the data-only analysis (PolicyCompiler.DataOnly.cs).
    private readonly Dictionary<RuleNode, HashSet<RuleNode>> _dependencies = [];

    private void CheckRecursion()
    {
        var deps = _dependencies;
        foreach (var node in AllNodes(_root))
        {
            var rules = node.Rules.Select(r => r.Rule).Concat(node.Functions);
            if (node.Default is not null)
            {
                rules = rules.Append(node.Default);
            }

            if (node.DefaultFunction is not null)
            {
                rules = rules.Append(node.DefaultFunction);
            }

            var set = new HashSet<RuleNode>();
            foreach (var rule in rules)
            {
                for (var r = rule; r is not null; r = r.Else)
                {
                    foreach (var t in RuleTerms(r))
                    {
                        CollectDependencies(t, set);
                    }
                }
            }

            if (set.Count > 0 || node.Rules.Count > 0 || node.IsFunction)
            {
                deps[node] = set;
            }
        }

        // Depth first with an explicit stack of pending dependencies: a chain of 20,000 rules each using the next
        // must not overflow the thread's stack (which would end the process).
        var state = new Dictionary<RuleNode, int>(); // 1 = on the path, 2 = done
        var path = new List<RuleNode>();
        var pending = new Stack<IEnumerator<RuleNode>>();
        foreach (var n in deps.Keys)
        {
            if (!Enter(n))
            {
                continue;
            }

            while (pending.Count > 0)
            {
                var next = pending.Peek();
                if (next.MoveNext())
                {
                    Enter(next.Current);
                    continue;
                }

                pending.Pop().Dispose();
                state[path[^1]] = 2;
                path.RemoveAt(path.Count - 1);
            }
        }

        // Starts visiting a node (false when it is already done); a node already on the path is a cycle.
        bool Enter(RuleNode n)
        {
            if (state.TryGetValue(n, out var s))
            {
                if (s == 1)
                {
                    var start = path.IndexOf(n);
                    var cycle = path.Skip(start).Append(n).Select(x => x.DataPath);
                    var rule = n.Rules.Count > 0 ? n.Rules[0].Rule : n.Functions.FirstOrDefault() ?? n.Default ?? n.DefaultFunction;
                    throw new RegoCompileException(RegoErrorCodes.RecursionError,
                        $"rule {n.DataPath} is recursive: {string.Join(" -> ", cycle)}", rule?.Location);
                }

                return false;
            }

            state[n] = 1;
            path.Add(n);
            pending.Push(deps.TryGetValue(n, out var next) ? next.GetEnumerator() : Enumerable.Empty<RuleNode>().GetEnumerator());
            return true;
        }
    }

    private static IEnumerable<RuleNode> AllNodes(RuleNode node)
    {
        yield return node;
        foreach (var c in node.Children.Values)
        {
            foreach (var d in AllNodes(c))
            {
                yield return d;
            }
        }
    }

    private static IEnumerable<Term> RuleTerms(Rule r)
    {
        foreach (var h in r.Head.Skip(1))
        {
            yield return h;
        }

        if (r.Key is not null)
        {
            yield return r.Key;
        }

        if (r.Value is not null)
        {
            yield return r.Value;
        }

        var terms = new List<Term>();
        foreach (var e in r.Body.Exprs)
        {
            ForEachTerm(e, terms.Add, includeNestedBodies: true);
        }

        foreach (var t in terms)
        {
            yield return t;
        }
    }

    private void CollectDependencies(Term t, HashSet<RuleNode> into)
    {
        switch (t)
        {
            case RefTerm r:
                if (r.Head is VarTerm { Slot: SpecialSlots.Data })
                {
                    var node = _root;
                    var reachesRules = true;
                    foreach (var p in r.Path)
                    {
                        if (node.Rules.Count > 0 || node.Default is not null || node.IsFunction)
                        {
                            break;
                        }

                        if (p is ScalarTerm { Value: StringValue s })
                        {
                            if (!node.Children.TryGetValue(s.Value, out var child))
                            {
                                // Leaves the rule tree into base data.
                                reachesRules = false;
                                break;
                            }

                            node = child;
                        }
                        else
                        {
                            break;
                        }
                    }

                    if (node != _root && reachesRules)
                    {
                        foreach (var n in AllNodes(node))
                        {
                            if (n.Rules.Count > 0 || n.Default is not null)
                            {
                                into.Add(n);
                            }
                        }
                    }
                }

                CollectDependencies(r.Head, into);
                foreach (var p in r.Path)
                {
                    CollectDependencies(p, into);
                }

                break;
            case CallTerm c:
                if (c.Target is FunctionCallTarget f)
                {
                    into.Add(f.Node);
                }

                foreach (var a in c.Args)
                {
                    CollectDependencies(a, into);
                }

                break;
            case ArrayTerm a:
                foreach (var i in a.Items)
                {
                    CollectDependencies(i, into);
                }

                break;
            case SetTerm s:
                foreach (var i in s.Items)
                {
                    CollectDependencies(i, into);
                }

                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Entries)
                {
                    CollectDependencies(k, into);
                    CollectDependencies(v, into);
                }

                break;
            case ComprehensionTerm comp:
                if (comp.Key is not null)
                {
                    CollectDependencies(comp.Key, into);
                }

                CollectDependencies(comp.Value, into);
                foreach (var e in comp.Body.Exprs)
                {
                    ForEachTerm(e, x => CollectDependencies(x, into), includeNestedBodies: true);
                }

                break;
            case TemplateStringTerm ts:
                foreach (var p in ts.Parts)
                {
                    if (p is Term pt)
                    {
                        CollectDependencies(pt, into);
                    }
                }

                break;
        }
    }
}
