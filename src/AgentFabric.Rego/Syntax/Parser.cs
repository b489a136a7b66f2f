using System.Runtime.CompilerServices;
using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Syntax;

/// <summary>A recursive-descent parser for Rego modules and queries (v1 syntax, and v0 when asked).</summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private readonly string _file;
    private readonly string _source;
    private readonly RegoVersion _version;
    private readonly List<(int Line, string Text)> _comments;
    private int _i;
    private int _depth;

    // Keywords that are identifiers in v0 until imported (future.keywords or rego.v1).
    private bool _ifKeyword;
    private bool _containsKeyword;
    private bool _inKeyword;
    private bool _everyKeyword;
    private bool _notBodyKeyword;
    private bool _andKeyword;
    private bool _orKeyword;

    public Parser(string source, string file, RegoVersion version)
    {
        _source = source;
        _file = file;
        _version = version;
        var lexer = new Lexer(source, file);
        _tokens = lexer.Tokenize();
        _comments = lexer.Comments;
        var all = version == RegoVersion.V1;
        _ifKeyword = _containsKeyword = _inKeyword = _everyKeyword = all;
    }

    private Token Tok => _tokens[_i];

    private Token PeekToken(int n = 1) => _tokens[Math.Min(_i + n, _tokens.Count - 1)];

    private Location Loc(Token t) => new(_file, t.Line, t.Column);

    private Location Here => Loc(Tok);

    private Token Advance() => _tokens[_i++];

    /// <summary>How deeply brackets, braces, parentheses and bodies may nest. OPA allows 100,000 levels on Go's
    /// growable stacks; a .NET thread's stack is fixed, so the bound is lower and also guarded by the stack itself.</summary>
    public const int MaxNestingDepth = 1000;

    // Each nested term or body recurses through the parser (and later the compiler and evaluator): past the bound a
    // policy is refused with a parse error instead of overflowing the stack and ending the process.
    private void EnterNesting()
    {
        if (++_depth > MaxNestingDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            _depth--;
            throw Error("max parsing recursion depth reached", Tok);
        }
    }

    private bool At(TokenKind kind) => Tok.Kind == kind;

    private bool AtIdent(string text) => Tok.Kind == TokenKind.Ident && Tok.Text == text;

    private bool AtKeyword(string text) => AtIdent(text) && IsKeywordActive(text) && !StartsRef();

    // `default.foo`, `foo.if`: a keyword directly followed by `.` or `[` starts a reference instead.
    private bool StartsRef()
    {
        var next = PeekToken();
        return next.Offset == Tok.End && next.Kind is TokenKind.Dot or TokenKind.LBrack or TokenKind.LParen;
    }

    private bool AtKeywordWord(string text) => AtIdent(text) && !StartsRef();

    private bool IsKeywordActive(string text) => text switch
    {
        "if" => _ifKeyword,
        "contains" => _containsKeyword,
        "in" => _inKeyword,
        "every" => _everyKeyword,
        _ => true,
    };

    private Token Expect(TokenKind kind, string what)
    {
        if (!At(kind))
        {
            throw Unexpected(what);
        }

        return Advance();
    }

    private RegoParseException Error(string message, Token at) => new(message, Loc(at));

    private RegoParseException Unexpected(string? expected = null)
    {
        var t = Tok;
        var desc = Describe(t);
        return Error(expected is null ? $"unexpected {desc} token" : $"unexpected {desc} token: expected {expected}", t);
    }

    private static string Describe(Token t) => t.Kind switch
    {
        TokenKind.Eof => "eof",
        TokenKind.Ident => t.Text is "if" or "contains" or "in" or "every" or "some" or "not" or "with" or "as" or "else" or "default" or "import" or "package" ? t.Text : "ident",
        TokenKind.Number => "number",
        TokenKind.String => "string",
        TokenKind.TemplateString => "template-string",
        TokenKind.Assign => "assign",
        TokenKind.Unify => "eq",
        TokenKind.Equal => "equal",
        TokenKind.NotEqual => "neq",
        TokenKind.Illegal => "illegal",
        _ => t.Text,
    };

    /// <summary>Parses a whole module.</summary>
    public Module ParseModule()
    {
        var module = new Module(_file, _version);
        if (!AtIdent("package"))
        {
            throw Tok.Kind == TokenKind.Eof
                ? Error("empty module", Tok)
                : Error("package expected", Tok);
        }

        var pkgTok = Advance();
        module.PackageLocation = Loc(pkgTok);
        module.Package = ParsePackagePath();
        while (AtKeywordWord("import"))
        {
            module.Imports.Add(ParseImport());
        }

        while (!At(TokenKind.Eof))
        {
            if (AtKeywordWord("import"))
            {
                throw Error("imports must appear before rules", Tok);
            }

            if (AtKeywordWord("package"))
            {
                throw Error("unexpected package keyword", Tok);
            }

            foreach (var rule in ParseRules(module))
            {
                module.Rules.Add(rule);
            }
        }

        AnnotationParser.Attach(module, _comments, pkgTok.Line, _file);
        return module;
    }

    /// <summary>Parses a query: literals separated by newlines or semicolons.</summary>
    public Body ParseQuery()
    {
        var loc = Here;
        var exprs = new List<Expr>();
        if (At(TokenKind.Eof))
        {
            throw Error("empty query", Tok);
        }

        while (true)
        {
            exprs.Add(ParseLiteral());
            if (At(TokenKind.Semicolon))
            {
                Advance();
                continue;
            }

            if (At(TokenKind.Eof))
            {
                break;
            }

            if (!Tok.NewlineBefore)
            {
                throw Unexpected();
            }
        }

        return new Body(exprs, loc);
    }

    /// <summary>Parses a single term (for <c>input_term</c> and data written in Rego).</summary>
    public Term ParseSingleTerm()
    {
        var t = ParseInfix(allowPipe: true);
        if (!At(TokenKind.Eof))
        {
            throw Unexpected();
        }

        return t;
    }

    private string[] ParsePackagePath()
    {
        var parts = new List<string>();
        var first = Expect(TokenKind.Ident, "package name");
        if (first.Text == "data")
        {
            // `package data.x` is legal and means the same as `package x`.
        }
        else
        {
            parts.Add(first.Text);
        }

        while (true)
        {
            if (At(TokenKind.Dot))
            {
                Advance();
                parts.Add(Expect(TokenKind.Ident, "ident").Text);
            }
            else if (At(TokenKind.LBrack) && !Tok.NewlineBefore && PeekToken().Kind == TokenKind.String)
            {
                Advance();
                parts.Add(Advance().Text);
                Expect(TokenKind.RBrack, "]");
            }
            else
            {
                break;
            }
        }

        return parts.ToArray();
    }

    private Import ParseImport()
    {
        var loc = Here;
        Advance();
        var t = ParsePrimaryWithPostfix(allowCalls: false);
        if (t is VarTerm v)
        {
            t = new RefTerm(v, [], v.Location);
        }

        if (t is not RefTerm r || r.Head is not VarTerm head || r.Path.Any(p => p is not ScalarTerm { Value: StringValue }))
        {
            throw Error("invalid path: path must begin with input or data", _tokens[_i - 1]);
        }

        string? alias = null;
        if (AtIdent("as"))
        {
            Advance();
            alias = Expect(TokenKind.Ident, "import alias").Text;
        }

        var rootName = head.Name;
        var path = r.Path.Select(p => ((StringValue)((ScalarTerm)p).Value).Value).ToArray();
        if (rootName == "future" && path.Length >= 1 && path[0] == "keywords")
        {
            EnableKeywords(path.Length == 1 ? null : path[1]);
        }
        else if (rootName == "rego" && path.Length == 1 && path[0] == "v1")
        {
            EnableKeywords(null);
        }
        else if (rootName is not ("data" or "input" or "future" or "rego"))
        {
            throw new RegoParseException("invalid import path: path must begin with input, data, future or rego", loc);
        }

        return new Import(r, alias, loc);
    }

    private void EnableKeywords(string? which)
    {
        _ifKeyword |= which is null or "if";
        _containsKeyword |= which is null or "contains";
        _inKeyword |= which is null or "in";
        _everyKeyword |= which is null or "every";
        _notBodyKeyword |= which == "not";

        // Experimental logic operators: only when imported by name.
        _andKeyword |= which == "and";
        _orKeyword |= which == "or";
        if (which == "every")
        {
            _inKeyword = true;
        }
    }
}
