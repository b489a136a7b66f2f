using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Ast;

/// <summary>Converts a parsed module to OPA's JSON AST shape (as <c>rego.parse_module</c> returns it): terms are
/// <c>{"type": ..., "value": ...}</c>, expressions carry <c>index</c> and <c>terms</c>.</summary>
internal static class AstValue
{
    public static Value Module(Module m)
    {
        var pkgPath = new List<Value> { TermOf("var", StringValue.Create("data")) };
        pkgPath.AddRange(m.Package.Select(p => TermOf("string", StringValue.Create(p))));
        var b = new ObjectValue.Builder();
        b.Set("package", ObjectValue.Create(("path", ArrayValue.CreateRange(pkgPath))));
        if (m.Imports.Count > 0)
        {
            b.Set("imports", ArrayValue.CreateRange(m.Imports.Select(i =>
            {
                var imp = new ObjectValue.Builder();
                imp.Set("path", Term(i.Path));
                if (i.Alias is not null)
                {
                    imp.Set("alias", StringValue.Create(i.Alias));
                }

                return (Value)imp.ToValue();
            })));
        }

        if (m.Rules.Count > 0)
        {
            b.Set("rules", ArrayValue.CreateRange(m.Rules.Select(Rule)));
        }

        return b.ToValue();
    }

    private static Value Rule(Rule r)
    {
        var head = new ObjectValue.Builder();
        head.Set("name", StringValue.Create(r.Name));
        head.Set("ref", ArrayValue.CreateRange(r.Head.Select((h, i) => i == 0 ? TermOf("var", StringValue.Create(r.Name)) : Term(h))));
        if (r.Args is not null)
        {
            head.Set("args", ArrayValue.CreateRange(r.Args.Select(Term)));
        }

        if (r.Key is not null)
        {
            head.Set("key", Term(r.Key));
        }

        if (r.Value is not null)
        {
            head.Set("value", Term(r.Value));
        }

        if (r.IsAssignment)
        {
            head.Set("assign", BooleanValue.True);
        }

        var rule = new ObjectValue.Builder();
        rule.Set("head", head.ToValue());
        rule.Set("body", Body(r.Body.Exprs.Count > 0 ? r.Body : new Body([new TermExpr(new ScalarTerm(BooleanValue.True, r.Location), r.Location)], r.Location)));
        if (r.IsDefault)
        {
            rule.Set("default", BooleanValue.True);
        }

        if (r.Else is not null)
        {
            rule.Set("else", Rule(r.Else));
        }

        return rule.ToValue();
    }

    private static Value Body(Body body) => ArrayValue.CreateRange(body.Exprs.Select((e, i) =>
    {
        var b = new ObjectValue.Builder();
        b.Set("index", NumberValue.Create(i));
        b.Set("terms", e switch
        {
            TermExpr t => Term(t.Term),
            UnifyExpr u => ArrayValue.Create(RefTerm(u.IsAssignment ? "assign" : "eq"), Term(u.Left), Term(u.Right)),
            SomeDeclExpr s => ArrayValue.CreateRange(s.Vars.Select(Term)),
            SomeInExpr si => ArrayValue.Create(RefTerm("internal.member_" + (si.Key is null ? "2" : "3")), Term(si.Key ?? si.Value), Term(si.Value), Term(si.Collection)),
            _ => TermOf("string", StringValue.Create(e.ToString())),
        });
        if (e.Negated)
        {
            b.Set("negated", BooleanValue.True);
        }

        return (Value)b.ToValue();
    }));

    private static Value RefTerm(string dotted) =>
        TermOf("ref", ArrayValue.CreateRange(dotted.Split('.').Select((p, i) => i == 0 ? TermOf("var", StringValue.Create(p)) : TermOf("string", StringValue.Create(p)))));

    private static Value TermOf(string type, Value value) => ObjectValue.Create(("type", StringValue.Create(type)), ("value", value));

    public static Value Term(Term t) => t switch
    {
        ScalarTerm { Value: var v } => TermOf(v.TypeName, v),
        VarTerm v => TermOf("var", StringValue.Create(v.Name)),
        RefTerm r => TermOf("ref", ArrayValue.CreateRange(new[] { Term(r.Head) }.Concat(r.Path.Select(Term)))),
        ArrayTerm a => TermOf("array", ArrayValue.CreateRange(a.Items.Select(Term))),
        SetTerm s => TermOf("set", ArrayValue.CreateRange(s.Items.Select(Term))),
        ObjectTerm o => TermOf("object", ArrayValue.CreateRange(o.Entries.Select(e => (Value)ArrayValue.Create(Term(e.Key), Term(e.Value))))),
        CallTerm c => TermOf("call", ArrayValue.CreateRange(new[] { RefTerm(c.OperatorName) }.Concat(c.Args.Select(Term)))),
        ComprehensionTerm c => TermOf(c.Kind.ToString().ToLowerInvariant() + "comprehension", c.Key is null
            ? ObjectValue.Create(("term", Term(c.Value)), ("body", Body(c.Body)))
            : ObjectValue.Create(("key", Term(c.Key)), ("value", Term(c.Value)), ("body", Body(c.Body)))),
        _ => TermOf("string", StringValue.Create(t.ToString())),
    };
}
