using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Syntax;

// OPA's experimental `and` / `or` keywords (future.keywords.and, future.keywords.or). An operand is an expression
// (optionally `not`) or an explicit body `{ ... }`; `not` binds tighter than `and`, `and` tighter than `or`. Each
// operand is tested for a solution in its own scope (its bindings stay inside), operands run left to right and stop
// as soon as the outcome is known, and the whole literal succeeds at most once. That is negation twice over, so the
// operators are written with not-bodies:
//   a or b   =  not { not a; not b }
//   a and b  =  not { not { (not not a); (not not b) } }
internal sealed partial class Parser
{
    private Expr ParseLogicOr()
    {
        var first = ParseLogicAnd(afterOperator: false);
        if (!(_orKeyword && AtKeywordWord("or")))
        {
            return first.Expr ?? throw Error("unexpected { token: a body operand needs and/or", Tok);
        }

        var operands = new List<Operand> { first };
        while (_orKeyword && AtKeywordWord("or"))
        {
            Advance();
            operands.Add(ParseLogicAnd(afterOperator: true));
        }

        return new NotBodyExpr(new Body([.. operands.Select(Fails)], operands[0].Location), operands[0].Location);
    }

    private Operand ParseLogicAnd(bool afterOperator)
    {
        var first = ParseLogicOperand(afterOperator);
        if (!(_andKeyword && AtKeywordWord("and")))
        {
            return first;
        }

        var operands = new List<Operand> { first };
        while (_andKeyword && AtKeywordWord("and"))
        {
            Advance();
            operands.Add(ParseLogicOperand(afterOperator: true));
        }

        var loc = first.Location;
        var allHold = new NotBodyExpr(new Body([.. operands.Select(Holds)], loc), loc);
        return new Operand(new NotBodyExpr(new Body([allHold], loc), loc), null, loc);
    }

    private Operand ParseLogicOperand(bool afterOperator)
    {
        // `(a or b) and c`, `not (a or b)`, `(a with m) and b`: a parenthesised group of operators.
        var start = _i;
        var negated = AtKeywordWord("not") && PeekToken().Kind == TokenKind.LParen;
        if (negated)
        {
            Advance();
        }

        if (TryParseGroup(out var group))
        {
            return new Operand(negated ? new NotBodyExpr(new Body([group], group.Location), group.Location) : group, null, group.Location);
        }

        _i = start;
        if (At(TokenKind.LBrace))
        {
            // `{ ... }` is a body operand when an operator joins it; otherwise an ordinary set or object term.
            var save = _i;
            var open = Advance();
            try
            {
                var body = ParseBodyUntil(TokenKind.RBrace, Loc(open));
                if (afterOperator || (_andKeyword && AtKeywordWord("and")) || (_orKeyword && AtKeywordWord("or")))
                {
                    return new Operand(null, body, Loc(open));
                }
            }
            catch (RegoParseException)
            {
                // Not a body: parse it as a term below.
            }

            _i = save;
        }

        var expr = ParseUnaryLiteral();
        return new Operand(expr, null, expr.Location);
    }

    private bool TryParseGroup(out Expr group)
    {
        group = null!;
        if (!At(TokenKind.LParen))
        {
            return false;
        }

        var save = _i;
        Advance();
        try
        {
            var inner = ParseLogicOr();
            var withs = ParseWithModifiers();
            if (withs.Count > 0)
            {
                inner.With = [.. inner.With, .. withs];
            }

            Expect(TokenKind.RParen, ")");
            var joined = (_andKeyword && AtKeywordWord("and")) || (_orKeyword && AtKeywordWord("or"));
            if (inner is NotBodyExpr || withs.Count > 0 || joined)
            {
                group = inner;
                return true;
            }
        }
        catch (RegoParseException)
        {
            // An ordinary parenthesised term: parsed by the caller.
        }

        _i = save;
        return false;
    }

    // A literal that succeeds when the operand has no solution.
    private static Expr Fails(Operand o) => new NotBodyExpr(o.Body ?? new Body([o.Expr!], o.Location), o.Location);

    // A literal that succeeds when the operand has a solution, without binding anything.
    private static Expr Holds(Operand o) => new NotBodyExpr(new Body([Fails(o)], o.Location), o.Location);

    private sealed record Operand(Expr? Expr, Body? Body, Location Location);
}
