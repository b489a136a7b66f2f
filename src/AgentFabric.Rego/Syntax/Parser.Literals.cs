using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Syntax;

internal sealed partial class Parser
{
    private Expr ParseLiteral()
    {
        Expr expr;
        if (AtKeywordWord("some"))
        {
            expr = ParseSome();
        }
        else if (AtKeyword("every"))
        {
            expr = ParseEvery();
        }
        else if (_andKeyword || _orKeyword)
        {
            expr = ParseLogicOr();
        }
        else
        {
            expr = ParseUnaryLiteral();
        }

        // A parenthesised group may already carry modifiers of its own.
        var withs = ParseWithModifiers();
        if (withs.Count > 0)
        {
            expr.With = [.. expr.With, .. withs];
        }

        return expr;
    }

    // `not { body }` (future.keywords.not), `not expr` or `expr`.
    private Expr ParseUnaryLiteral()
    {
        if (_notBodyKeyword && AtKeywordWord("not") && PeekToken().Kind == TokenKind.LBrace)
        {
            var notTok = Advance();
            var open = Advance();
            return new NotBodyExpr(ParseBodyUntil(TokenKind.RBrace, Loc(open)), Loc(notTok));
        }

        var negated = false;
        if (AtKeywordWord("not"))
        {
            Advance();
            negated = true;
        }

        var expr = ParseExpr();
        expr.Negated = negated;
        return expr;
    }

    private List<WithModifier> ParseWithModifiers()
    {
        var withs = new List<WithModifier>();
        while (AtKeywordWord("with"))
        {
            var wTok = Advance();
            var target = ParsePrimaryWithPostfix(allowCalls: false);
            if (!AtIdent("as"))
            {
                throw Unexpected("as");
            }

            Advance();
            var value = ParseInfix(allowPipe: true);
            withs.Add(new WithModifier(target, value, Loc(wTok)));
        }

        return withs;
    }

    private Expr ParseSome()
    {
        var someTok = Advance();
        var terms = new List<Term> { ParseRelationLevel() };
        while (At(TokenKind.Comma))
        {
            Advance();
            terms.Add(ParseRelationLevel());
        }

        if (AtKeyword("in"))
        {
            Advance();
            if (terms.Count > 2)
            {
                throw Error("unexpected , token", someTok);
            }

            var collection = ParseRelationLevel();
            return terms.Count == 2
                ? new SomeInExpr(terms[0], terms[1], collection, Loc(someTok))
                : new SomeInExpr(null, terms[0], collection, Loc(someTok));
        }

        var vars = new List<VarTerm>();
        foreach (var t in terms)
        {
            if (t is not VarTerm v)
            {
                // `some x in xs` parsed as a membership call when `in` was consumed by the term parser.
                if (terms.Count == 1 && t is CallTerm { OperatorName: "internal.member_2" } m)
                {
                    return new SomeInExpr(null, m.Args[0], m.Args[1], Loc(someTok));
                }

                if (terms.Count == 2 && t is CallTerm { OperatorName: "internal.member_2" } m2 && ReferenceEquals(t, terms[1]))
                {
                    return new SomeInExpr(terms[0], m2.Args[0], m2.Args[1], Loc(someTok));
                }

                throw Error("expected var", someTok);
            }

            vars.Add(v);
        }

        return new SomeDeclExpr(vars.ToArray(), Loc(someTok));
    }

    private Expr ParseEvery()
    {
        var everyTok = Advance();
        var first = ParseRelationLevel();
        Term? key = null;
        var value = first;
        if (At(TokenKind.Comma))
        {
            Advance();
            key = first;
            value = ParseRelationLevel();
        }

        if (!AtKeyword("in"))
        {
            throw Unexpected("in");
        }

        Advance();
        var domain = ParseRelationLevel();
        var open = Expect(TokenKind.LBrace, "{");
        var body = ParseBodyUntil(TokenKind.RBrace, Loc(open));
        return new EveryExpr(key, value, domain, body, Loc(everyTok));
    }

    private Expr ParseExpr()
    {
        var startTok = Tok;
        var left = ParseKeyValueIn(ParseInfix(allowPipe: true));
        if (left is CallTerm { OperatorName: "internal.member_3" })
        {
            return new TermExpr(left, Loc(startTok));
        }

        if (At(TokenKind.Assign) || At(TokenKind.Unify))
        {
            var isAssign = Advance().Kind == TokenKind.Assign;

            // Both sides of an expression may be `k, v in xs` (`x := 1, "foo" in xs`).
            var right = ParseKeyValueIn(ParseInfix(allowPipe: true));
            return new UnifyExpr(left, right, isAssign, Loc(startTok));
        }

        return new TermExpr(left, Loc(startTok));
    }

    // `k, v in xs` where a whole expression side is expected; anything else is returned as parsed.
    private Term ParseKeyValueIn(Term left)
    {
        if (!At(TokenKind.Comma) || !_inKeyword)
        {
            return left;
        }

        var save = _i;
        Advance();
        var value = ParseRelationLevel();
        if (!AtKeyword("in"))
        {
            _i = save;
            return left;
        }

        Advance();
        var coll = ParseRelationLevel();
        Term call = new CallTerm(new VarTerm("internal.member_3", left.Location), [left, value, coll], left.Location)
        {
            OperatorName = "internal.member_3",
        };
        while (AtKeyword("in"))
        {
            Advance();
            call = Infix("internal.member_2", call, ParseRelation(allowPipe: true));
        }

        return call;
    }
}
