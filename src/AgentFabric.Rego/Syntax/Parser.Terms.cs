using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Syntax;

internal sealed partial class Parser
{
    private static CallTerm Infix(string name, Term left, Term right) =>
        new(new VarTerm(name, left.Location), [left, right], left.Location) { OperatorName = name };

    // in  <  relations  <  |  <  &  <  + -  <  * / %  <  terms
    private Term ParseInfix(bool allowPipe)
    {
        var left = ParseRelation(allowPipe);
        while (AtKeyword("in"))
        {
            Advance();
            var right = ParseRelation(allowPipe);
            left = Infix("internal.member_2", left, right);
        }

        return left;
    }

    private Term ParseRelationLevel() => ParseRelation(allowPipe: true);

    private Term ParseRelation(bool allowPipe)
    {
        var left = ParseOr(allowPipe);
        while (Tok.Kind is TokenKind.Equal or TokenKind.NotEqual or TokenKind.Lt or TokenKind.Lte or TokenKind.Gt or TokenKind.Gte)
        {
            var op = InfixOperators.BuiltinFor(Advance().Kind)!;
            left = Infix(op, left, ParseOr(allowPipe));
        }

        return left;
    }

    private Term ParseOr(bool allowPipe)
    {
        var left = ParseAnd();
        while (allowPipe && At(TokenKind.Pipe))
        {
            Advance();
            left = Infix("or", left, ParseAnd());
        }

        return left;
    }

    private Term ParseAnd()
    {
        var left = ParseArith();
        while (At(TokenKind.Amp))
        {
            Advance();
            left = Infix("and", left, ParseArith());
        }

        return left;
    }

    private Term ParseArith()
    {
        var left = ParseFactor();
        while (Tok.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = InfixOperators.BuiltinFor(Advance().Kind)!;
            left = Infix(op, left, ParseFactor());
        }

        return left;
    }

    private Term ParseFactor()
    {
        var left = ParsePrimaryWithPostfix(allowCalls: true);
        while (Tok.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = InfixOperators.BuiltinFor(Advance().Kind)!;
            left = Infix(op, left, ParsePrimaryWithPostfix(allowCalls: true));
        }

        return left;
    }

    private Term ParsePrimaryWithPostfix(bool allowCalls)
    {
        var term = ParsePrimary();
        if (term is ScalarTerm && term.Location.Line > 0 && _tokens[_i - 1].Kind != TokenKind.RParen)
        {
            return term;
        }

        var path = new List<Term>();
        Term head = term;
        while (true)
        {
            if (At(TokenKind.Dot) && PeekToken().Kind == TokenKind.Ident && PeekToken().Offset == Tok.End)
            {
                Advance();
                var t = Advance();
                path.Add(new ScalarTerm(StringValue.Create(t.Text), Loc(t)));
            }
            else if (At(TokenKind.LBrack) && !Tok.NewlineBefore)
            {
                Advance();
                path.Add(ParseInfix(allowPipe: true));
                Expect(TokenKind.RBrack, "]");
            }
            else if (allowCalls && At(TokenKind.LParen) && !Tok.NewlineBefore && IsCallable(head, path))
            {
                var open = Advance();
                var args = new List<Term>();
                while (!At(TokenKind.RParen))
                {
                    args.Add(ParseInfix(allowPipe: true));
                    if (At(TokenKind.Comma))
                    {
                        Advance();
                    }
                    else if (!At(TokenKind.RParen))
                    {
                        throw Unexpected(")");
                    }
                }

                Advance();
                var op = path.Count == 0 ? head : new RefTerm(head, path.ToArray(), head.Location);
                head = new CallTerm(op, args.ToArray(), head.Location) { OperatorName = op.ToString() };
                path.Clear();
                _ = open;
            }
            else
            {
                break;
            }
        }

        return path.Count == 0 ? head : new RefTerm(head, path.ToArray(), head.Location);
    }

    private static bool IsCallable(Term head, List<Term> path) =>
        head is VarTerm && path.TrueForAll(p => p is ScalarTerm { Value: StringValue s } && Lexer.IsIdentifier(s.Value));

    private Term ParsePrimary()
    {
        if (Tok.Kind is not (TokenKind.LBrack or TokenKind.LBrace or TokenKind.LParen))
        {
            return ParsePrimaryTerm();
        }

        EnterNesting();
        try
        {
            return ParsePrimaryTerm();
        }
        finally
        {
            _depth--;
        }
    }

    private Term ParsePrimaryTerm()
    {
        var t = Tok;
        var loc = Loc(t);
        switch (t.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new ScalarTerm(ParseNumber(t), loc);
            case TokenKind.String:
                Advance();
                return new ScalarTerm(StringValue.Create(t.Text), loc);
            case TokenKind.TemplateString:
                Advance();
                return ParseTemplate(t);
            case TokenKind.Minus when PeekToken().Kind == TokenKind.Number && PeekToken().Offset == t.End:
                Advance();
                var n = Advance();
                return new ScalarTerm(ParseNumber(n, negative: true), loc);
            case TokenKind.Ident:
                var refStart = StartsRef();
                Advance();
                if (t.Text == "set" && At(TokenKind.LParen) && PeekToken().Kind == TokenKind.RParen)
                {
                    Advance();
                    Advance();
                    return new SetTerm([], loc);
                }

                switch (refStart ? string.Empty : t.Text)
                {
                    case "null": return new ScalarTerm(NullValue.Instance, loc);
                    case "true": return new ScalarTerm(BooleanValue.True, loc);
                    case "false": return new ScalarTerm(BooleanValue.False, loc);
                    case "set" when At(TokenKind.LParen) && PeekToken().Kind == TokenKind.RParen:
                        Advance();
                        Advance();
                        return new SetTerm([], loc);
                }

                if (IsReservedWord(t.Text) && !refStart)
                {
                    _i--;
                    throw Unexpected();
                }

                return new VarTerm(t.Text, loc);
            case TokenKind.LBrack:
                Advance();
                return ParseArrayOrComprehension(loc);
            case TokenKind.LBrace:
                Advance();
                return ParseObjectOrSet(loc);
            case TokenKind.LParen:
            {
                Advance();
                var inner = ParseInfix(allowPipe: true);
                if (At(TokenKind.Comma) && _inKeyword)
                {
                    // (k, v in xs)
                    Advance();
                    var value = ParseRelation(allowPipe: true);
                    if (!AtKeyword("in"))
                    {
                        throw Unexpected("in");
                    }

                    Advance();
                    var coll = ParseRelation(allowPipe: true);
                    inner = new CallTerm(new VarTerm("internal.member_3", inner.Location), [inner, value, coll], inner.Location)
                    {
                        OperatorName = "internal.member_3",
                    };
                    while (AtKeyword("in"))
                    {
                        Advance();
                        inner = Infix("internal.member_2", inner, ParseRelation(allowPipe: true));
                    }
                }

                Expect(TokenKind.RParen, ")");
                return inner;
            }

            default:
                throw Unexpected();
        }
    }

    private bool IsReservedWord(string s) => s switch
    {
        "not" or "with" or "as" or "some" or "else" or "default" or "import" or "package" => true,
        "if" or "contains" or "in" or "every" => IsKeywordActive(s),
        _ => false,
    };

    // The literal's text is kept (OPA's json.Number): "1.0" and "-1e9" print and convert as written.
    private NumberValue ParseNumber(Token t, bool negative = false)
    {
        var text = negative ? "-" + t.Text : t.Text;
        return NumberValue.TryParseLiteral(text, out var n) ? n : throw Error($"invalid number: {t.Text}", t);
    }

    private Term ParseArrayOrComprehension(Location loc)
    {
        if (At(TokenKind.RBrack))
        {
            Advance();
            return new ArrayTerm([], loc);
        }

        var first = ParseInfix(allowPipe: false);
        if (At(TokenKind.Pipe))
        {
            var bar = Advance();
            var body = ParseBodyUntil(TokenKind.RBrack, Loc(bar));
            return new ComprehensionTerm(ComprehensionKind.Array, null, first, body, loc);
        }

        var items = new List<Term> { first };
        while (At(TokenKind.Comma))
        {
            Advance();
            if (At(TokenKind.RBrack))
            {
                break;
            }

            items.Add(ParseInfix(allowPipe: true));
        }

        Expect(TokenKind.RBrack, "]");
        return new ArrayTerm(items.ToArray(), loc);
    }

    private Term ParseObjectOrSet(Location loc)
    {
        if (At(TokenKind.RBrace))
        {
            Advance();
            return new ObjectTerm([], loc);
        }

        var first = ParseInfix(allowPipe: false);
        if (At(TokenKind.Colon))
        {
            Advance();
            var value = ParseInfix(allowPipe: false);
            if (At(TokenKind.Pipe))
            {
                var bar = Advance();
                var body = ParseBodyUntil(TokenKind.RBrace, Loc(bar));
                return new ComprehensionTerm(ComprehensionKind.Object, first, value, body, loc);
            }

            var entries = new List<(Term, Term)> { (first, value) };
            while (At(TokenKind.Comma))
            {
                Advance();
                if (At(TokenKind.RBrace))
                {
                    break;
                }

                var k = ParseInfix(allowPipe: true);
                Expect(TokenKind.Colon, ":");
                entries.Add((k, ParseInfix(allowPipe: true)));
            }

            Expect(TokenKind.RBrace, "}");
            return new ObjectTerm(entries.ToArray(), loc);
        }

        if (At(TokenKind.Pipe))
        {
            var bar = Advance();
            var body = ParseBodyUntil(TokenKind.RBrace, Loc(bar));
            return new ComprehensionTerm(ComprehensionKind.Set, null, first, body, loc);
        }

        var items = new List<Term> { first };
        while (At(TokenKind.Comma))
        {
            Advance();
            if (At(TokenKind.RBrace))
            {
                break;
            }

            items.Add(ParseInfix(allowPipe: true));
        }

        Expect(TokenKind.RBrace, "}");
        return new SetTerm(items.ToArray(), loc);
    }

    private Term ParseTemplate(Token t)
    {
        var parts = new List<object>();
        var collectedAt = new List<int>();
        var text = t.Text;
        var sb = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '\u0001')
            {
                var startEnd = text.IndexOf('\u0002', i);
                var exprStart = int.Parse(text.AsSpan(i + 1, startEnd - i - 1), System.Globalization.CultureInfo.InvariantCulture);
                var endMark = text.IndexOf('\u0003', startEnd);
                var endEnd = text.IndexOf('\u0004', endMark);
                var exprEnd = int.Parse(text.AsSpan(endMark + 1, endEnd - endMark - 1), System.Globalization.CultureInfo.InvariantCulture);
                if (sb.Length > 0)
                {
                    parts.Add(sb.ToString());
                    sb.Clear();
                }

                var src = _source[exprStart..exprEnd];
                var sub = new Parser(src, _file, RegoVersion.V1);
                var term = sub.ParseInfix(allowPipe: true);
                if (sub.AtKeywordWord("with"))
                {
                    // `{t with m}`: the modifiers apply to this expression only; carried as [v | v = t with m].
                    var loc = term.Location;
                    var output = new VarTerm($"$template{parts.Count}", loc);
                    var expr = new UnifyExpr(new VarTerm(output.Name, loc), term, isAssignment: false, loc)
                    {
                        With = sub.ParseWithModifiers().ToArray(),
                    };
                    term = new ComprehensionTerm(ComprehensionKind.Array, null, output, new Body([expr], loc), loc);
                    collectedAt.Add(parts.Count);
                }

                if (!sub.At(TokenKind.Eof))
                {
                    throw Error("invalid template string expression", t);
                }

                parts.Add(term);
                i = endEnd + 1;
                continue;
            }

            sb.Append(text[i]);
            i++;
        }

        if (sb.Length > 0)
        {
            parts.Add(sb.ToString());
        }

        var collected = collectedAt.Count == 0 ? null : parts.Select((_, i) => collectedAt.Contains(i)).ToArray();
        return new TemplateStringTerm(parts.ToArray(), Loc(t)) { CollectedParts = collected };
    }
}
