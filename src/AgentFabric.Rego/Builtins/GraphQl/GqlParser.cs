using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Builtins.GraphQl;

/// <summary>A recursive-descent GraphQL parser. It keeps going after the first error without reporting further ones,
/// so the error a policy sees is always the first, with the wording and position OPA reports.</summary>
internal sealed partial class GqlParser
{
    private readonly GqlLexer _lexer;
    private GqlToken _prev;
    private GqlToken _peekToken;
    private GqlException? _peekError;
    private bool _peeked;
    private GqlException? _err;
    private int _depth;

    /// <summary>The deepest nesting of selection sets, values and list types: gqlparser has no such limit, but its
    /// recursion runs on goroutine stacks that grow; ours do not, so deeper documents are an error.</summary>
    public const int MaxDepth = 500;

    private GqlParser(string input)
    {
        _lexer = new GqlLexer(input);
    }

    /// <summary>Parses an executable document; throws <see cref="GqlException"/> on the first syntax error.</summary>
    public static GqlQueryDocument ParseQuery(string input)
    {
        var p = new GqlParser(input);
        var doc = p.QueryDocument();
        return p._err is { } e ? throw e : doc;
    }

    /// <summary>Parses a type system document; throws <see cref="GqlException"/> on the first syntax error.</summary>
    public static GqlSchemaDocument ParseSchema(string input)
    {
        var p = new GqlParser(input);
        var doc = p.SchemaDocument();
        return p._err is { } e ? throw e : doc;
    }

    private GqlToken Peek()
    {
        if (_err is not null)
        {
            return _prev;
        }

        if (!_peeked)
        {
            _peekToken = _lexer.Next(out _peekError);
            _peeked = true;
        }

        return _peekToken;
    }

    private GqlToken Next()
    {
        if (_err is not null)
        {
            return _prev;
        }

        if (_peeked)
        {
            _peeked = false;
            _prev = _peekToken;
            _err = _peekError;
            return _prev;
        }

        _prev = _lexer.Next(out _err);
        return _prev;
    }

    private GqlPosition PeekPos()
    {
        var t = Peek();
        return new GqlPosition(t.Line, t.Column);
    }

    private void Error(GqlToken at, string message) =>
        _err ??= new GqlException(message, at.Line, at.Column);

    private void Unexpected() => Unexpected(Peek());

    private void Unexpected(GqlToken t) => Error(t, "Unexpected " + t);

    private bool Skip(GqlTokenKind kind)
    {
        if (_err is not null || Peek().Kind != kind)
        {
            return false;
        }

        Next();
        return true;
    }

    private GqlToken Expect(GqlTokenKind kind)
    {
        var t = Peek();
        if (t.Kind == kind)
        {
            return Next();
        }

        Error(t, $"Expected {GqlToken.KindName(kind)}, found {GqlToken.KindName(t.Kind)}");
        return t;
    }

    private GqlToken ExpectKeyword(string keyword)
    {
        var t = Peek();
        if (t.Kind == GqlTokenKind.Name && t.Value == keyword)
        {
            return Next();
        }

        Error(t, $"Expected {GoQuote.Quote(keyword)}, found {t}");
        return t;
    }

    /// <summary>Enters one level of nesting; false (with the error set) past <see cref="MaxDepth"/>.</summary>
    private bool Enter()
    {
        if (++_depth <= MaxDepth)
        {
            return true;
        }

        _depth--;
        if (_err is null)
        {
            var at = Peek();
            _err = new GqlException($"exceeded max nesting depth of {MaxDepth}", at.Line, at.Column) { IsLimit = true };
        }

        return false;
    }

    /// <summary>Zero or more items between the delimiters, or nothing when the opening one is absent.</summary>
    private void Many(GqlTokenKind start, GqlTokenKind end, Action item)
    {
        if (!Enter())
        {
            return;
        }

        try
        {
            ManyItems(start, end, item);
        }
        finally
        {
            _depth--;
        }
    }

    private void ManyItems(GqlTokenKind start, GqlTokenKind end, Action item)
    {
        if (!Skip(start))
        {
            return;
        }

        while (Peek().Kind != end && _err is null)
        {
            item();
        }

        Next();
    }

    /// <summary>One or more items between the delimiters, or nothing when the opening one is absent.</summary>
    private void Some(GqlTokenKind start, GqlTokenKind end, Action item)
    {
        if (!Enter())
        {
            return;
        }

        try
        {
            SomeItems(start, end, item);
        }
        finally
        {
            _depth--;
        }
    }

    private void SomeItems(GqlTokenKind start, GqlTokenKind end, Action item)
    {
        if (!Skip(start))
        {
            return;
        }

        var called = false;
        while (Peek().Kind != end && _err is null)
        {
            called = true;
            item();
        }

        if (!called)
        {
            Error(Peek(), "expected at least one definition, found " + GqlToken.KindName(Peek().Kind));
            return;
        }

        Next();
    }

    private string Name() => Expect(GqlTokenKind.Name).Value;

    // GraphQL spec §2.9: Value[Const]. Variables are not allowed in constant positions (default values, schemas).
    private GqlValue? ValueLiteral(bool isConst)
    {
        var t = Peek();
        var pos = new GqlPosition(t.Line, t.Column);
        GqlValueKind kind;
        switch (t.Kind)
        {
            case GqlTokenKind.BracketL:
            {
                var list = new GqlValue { Kind = GqlValueKind.List, Position = pos };
                Many(GqlTokenKind.BracketL, GqlTokenKind.BracketR, () => list.Children.Add(new GqlChildValue { Value = ValueLiteral(isConst) }));
                return list;
            }

            case GqlTokenKind.BraceL:
            {
                var obj = new GqlValue { Kind = GqlValueKind.Object, Position = pos };
                Many(GqlTokenKind.BraceL, GqlTokenKind.BraceR, () =>
                {
                    var at = PeekPos();
                    var name = Name();
                    Expect(GqlTokenKind.Colon);
                    obj.Children.Add(new GqlChildValue { Name = name, Value = ValueLiteral(isConst), Position = at });
                });
                return obj;
            }

            case GqlTokenKind.Dollar:
                if (isConst)
                {
                    Unexpected();
                    return null;
                }

                return new GqlValue { Kind = GqlValueKind.Variable, Raw = Variable(), Position = pos };
            case GqlTokenKind.Int:
                kind = GqlValueKind.Int;
                break;
            case GqlTokenKind.Float:
                kind = GqlValueKind.Float;
                break;
            case GqlTokenKind.String:
                kind = GqlValueKind.String;
                break;
            case GqlTokenKind.BlockString:
                kind = GqlValueKind.Block;
                break;
            case GqlTokenKind.Name:
                kind = t.Value switch
                {
                    "true" or "false" => GqlValueKind.Boolean,
                    "null" => GqlValueKind.Null,
                    _ => GqlValueKind.Enum,
                };
                break;
            default:
                Unexpected();
                return null;
        }

        Next();
        return new GqlValue { Kind = kind, Raw = t.Value, Position = pos };
    }

    private string Variable()
    {
        Expect(GqlTokenKind.Dollar);
        return Name();
    }

    private List<GqlArgument> Arguments(bool isConst)
    {
        var args = new List<GqlArgument>();
        Many(GqlTokenKind.ParenL, GqlTokenKind.ParenR, () =>
        {
            var arg = new GqlArgument { Position = PeekPos() };
            arg.Name = Name();
            Expect(GqlTokenKind.Colon);
            arg.Value = ValueLiteral(isConst);
            args.Add(arg);
        });
        return args;
    }

    private List<GqlDirective> Directives(bool isConst)
    {
        var list = new List<GqlDirective>();
        while (Peek().Kind == GqlTokenKind.At && _err is null)
        {
            Expect(GqlTokenKind.At);
            var d = new GqlDirective { Position = PeekPos() };
            d.Name = Name();
            d.Arguments = Arguments(isConst);
            list.Add(d);
        }

        return list;
    }

    // GraphQL spec §2.11: Type references.
    private GqlType TypeReference()
    {
        var type = new GqlType();
        if (Skip(GqlTokenKind.BracketL))
        {
            if (!Enter())
            {
                return type;
            }

            type.Elem = TypeReference();
            _depth--;
            Expect(GqlTokenKind.BracketR);
        }
        else
        {
            type.NamedType = Name();
        }

        if (Skip(GqlTokenKind.Bang))
        {
            type.NonNull = true;
        }

        return type;
    }
}
