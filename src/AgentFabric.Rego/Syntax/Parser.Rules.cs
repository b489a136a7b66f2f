using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Syntax;

internal sealed partial class Parser
{
    private IEnumerable<Rule> ParseRules(Module module)
    {
        var start = Tok;
        var rule = new Rule(Loc(start)) { Module = module };
        if (AtKeywordWord("default"))
        {
            Advance();
            rule.IsDefault = true;
        }

        ParseRuleHead(rule);
        var rules = new List<Rule> { rule };

        if (rule.IsDefault)
        {
            if (rule.Value is null)
            {
                throw Error("default rules must have a value", start);
            }

            if (AtKeyword("if") || At(TokenKind.LBrace))
            {
                throw Error("default rules cannot have a body", Tok);
            }

            return rules;
        }

        var hasBody = ParseOptionalBody(rule);
        if (!hasBody && rule.Value is null && rule.Key is null && rule.Args is null && _version == RegoVersion.V1 &&
            rule.Head.Count == 1)
        {
            // `p` alone is not a rule.
            throw Error($"rule must have a value or a body", start);
        }

        // else chains
        var last = rule;
        while (AtKeywordWord("else"))
        {
            var elseTok = Advance();
            if (rule.Kind == RuleKind.MultiValue)
            {
                throw Error("else keyword cannot be used on multi-value rules", elseTok);
            }

            var e = new Rule(Loc(elseTok)) { Module = module, Head = TermCloner.Clone(rule.Head), Kind = rule.Kind, Args = TermCloner.Clone(rule.Args) };
            if (At(TokenKind.Assign) || At(TokenKind.Unify))
            {
                e.IsAssignment = Advance().Kind == TokenKind.Assign;
                e.Value = ParseInfix(allowPipe: true);
            }

            if (!ParseOptionalBody(e))
            {
                if (_version == RegoVersion.V1 || !At(TokenKind.LBrace))
                {
                    // `else = x` without a body is allowed: it always applies.
                }
            }

            last.Else = e;
            last = e;
        }

        // v0: additional bodies `p { a } { b }` define more rules with the same head.
        while (_version == RegoVersion.V0 && At(TokenKind.LBrace) && rule.Else is null)
        {
            var extra = new Rule(Here)
            {
                Module = module, Head = TermCloner.Clone(rule.Head), Kind = rule.Kind, Args = TermCloner.Clone(rule.Args),
                Key = rule.Key is null ? null : TermCloner.Clone(rule.Key), Value = rule.Value is null ? null : TermCloner.Clone(rule.Value),
                IsAssignment = rule.IsAssignment,
            };
            Advance();
            extra.Body = ParseBodyUntil(TokenKind.RBrace, extra.Location);
            rules.Add(extra);
        }

        return rules;
    }

    private void ParseRuleHead(Rule rule)
    {
        var nameTok = Tok;
        if (nameTok.Kind != TokenKind.Ident)
        {
            throw Unexpected();
        }

        if (nameTok.Text is "true" or "false" or "null" && !StartsRef())
        {
            throw Error($"invalid rule name: {nameTok.Text}", nameTok);
        }

        Advance();
        rule.Head.Add(new ScalarTerm(StringValue.Create(nameTok.Text), Loc(nameTok)));
        while (true)
        {
            if (At(TokenKind.Dot) && PeekToken().Kind == TokenKind.Ident && !PeekToken().NewlineBefore)
            {
                Advance();
                var t = Advance();
                rule.Head.Add(new ScalarTerm(StringValue.Create(t.Text), Loc(t)));
            }
            else if (At(TokenKind.LBrack) && !Tok.NewlineBefore)
            {
                Advance();
                rule.Head.Add(ParseInfix(allowPipe: true));
                Expect(TokenKind.RBrack, "]");
            }
            else
            {
                break;
            }
        }

        if (At(TokenKind.LParen) && !Tok.NewlineBefore)
        {
            Advance();
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
            if (args.Count > 0 || _version == RegoVersion.V1)
            {
                rule.Args = args.ToArray();
                rule.Kind = RuleKind.Function;
            }

            // v0 `f() = 1` defines a plain rule.
        }

        if (AtKeyword("contains"))
        {
            if (rule.Args is not null)
            {
                throw Error("the contains keyword cannot be used with functions", Tok);
            }

            Advance();
            rule.Key = ParseInfix(allowPipe: true);
            rule.Kind = RuleKind.MultiValue;
        }

        if (At(TokenKind.Assign) || At(TokenKind.Unify))
        {
            if (rule.Kind == RuleKind.MultiValue)
            {
                throw Unexpected();
            }

            rule.IsAssignment = Advance().Kind == TokenKind.Assign;
            rule.Value = ParseInfix(allowPipe: true);
        }

        // v0 `p[x] { ... }` is a partial set, unless written with `if` (then it is a v1-style single-value rule).
        var v0Set = _version == RegoVersion.V0 && !AtKeyword("if");
        if (rule.Kind != RuleKind.Function && rule.Key is null && rule.Value is null && v0Set &&
            rule.Head.Count == 2 && rule.Head[1] is not ScalarTerm { Value: StringValue } && !rule.IsDefault)
        {
            rule.Key = rule.Head[1];
            rule.Head.RemoveAt(1);
            rule.Kind = RuleKind.MultiValue;
        }
        else if (rule.Kind != RuleKind.Function && rule.Key is null && rule.Value is null && v0Set &&
                 rule.Head.Count == 2 && rule.Head[1] is ScalarTerm { Value: StringValue } && !rule.IsDefault &&
                 _tokens[_i - 1].Kind == TokenKind.RBrack)
        {
            // v0 `p["a"] { ... }` is a partial set too.
            rule.Key = rule.Head[1];
            rule.Head.RemoveAt(1);
            rule.Kind = RuleKind.MultiValue;
        }
    }

    // Parses `if { ... }`, `if literal`, or (v0, or v1 error) `{ ... }`. Returns whether a body was present.
    private bool ParseOptionalBody(Rule rule)
    {
        if (AtKeyword("if"))
        {
            var ifTok = Advance();
            if (At(TokenKind.LBrace))
            {
                // Usually a body; when that fails, `if {x: 1 | ...}` is a single literal starting with a brace term.
                var save = _i;
                try
                {
                    Advance();
                    rule.Body = ParseBodyUntil(TokenKind.RBrace, Loc(ifTok));
                }
                catch (RegoParseException) when (_tokens[save + 1].Kind != TokenKind.RBrace && TryLiteralAt(save, out var lit))
                {
                    rule.Body = new Body([lit!], lit!.Location);
                }
            }
            else
            {
                var lit = ParseLiteral();
                rule.Body = new Body([lit], lit.Location);
            }

            return true;
        }

        if (At(TokenKind.LBrace) && !Tok.NewlineBefore || At(TokenKind.LBrace) && _version == RegoVersion.V0)
        {
            if (_version == RegoVersion.V1)
            {
                throw Error("`if` keyword is required before rule body", Tok);
            }

            var open = Advance();
            rule.Body = ParseBodyUntil(TokenKind.RBrace, Loc(open));
            return true;
        }

        return false;
    }

    private bool TryLiteralAt(int position, out Expr? literal)
    {
        var save = _i;
        _i = position;
        try
        {
            literal = ParseLiteral();
            return true;
        }
        catch (RegoParseException)
        {
            _i = save;
            literal = null;
            return false;
        }
    }

    private Body ParseBodyUntil(TokenKind end, Location location)
    {
        var exprs = new List<Expr>();
        if (At(end))
        {
            throw Error("found empty body", Tok);
        }

        EnterNesting();
        try
        {
            ParseLiterals(exprs, end);
        }
        finally
        {
            _depth--;
        }

        return new Body(exprs, location);
    }

    private void ParseLiterals(List<Expr> exprs, TokenKind end)
    {
        while (true)
        {
            exprs.Add(ParseLiteral());
            if (At(TokenKind.Semicolon))
            {
                Advance();
                continue;
            }

            if (At(end))
            {
                Advance();
                break;
            }

            if (At(TokenKind.Eof) || !Tok.NewlineBefore)
            {
                throw Unexpected();
            }
        }
    }
}
