using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Builtins.GraphQl;

/// <summary>Lexical token kinds of GraphQL (GraphQL spec §2.1.6 "Lexical Tokens").</summary>
internal enum GqlTokenKind
{
    Invalid,
    Eof,
    Bang,
    Dollar,
    Amp,
    ParenL,
    ParenR,
    Spread,
    Colon,
    Equals,
    At,
    BracketL,
    BracketR,
    BraceL,
    BraceR,
    Pipe,
    Name,
    Int,
    Float,
    String,
    BlockString,
}

/// <summary>A token with its 1-based line and rune column (the positions OPA reports in errors).</summary>
internal readonly record struct GqlToken(GqlTokenKind Kind, string Value, int Line, int Column)
{
    /// <summary>The kind's display name, as the reference implementation prints it in messages.</summary>
    public static string KindName(GqlTokenKind kind) => kind switch
    {
        GqlTokenKind.Invalid => "<Invalid>",
        GqlTokenKind.Eof => "<EOF>",
        GqlTokenKind.Bang => "!",
        GqlTokenKind.Dollar => "$",
        GqlTokenKind.Amp => "&",
        GqlTokenKind.ParenL => "(",
        GqlTokenKind.ParenR => ")",
        GqlTokenKind.Spread => "...",
        GqlTokenKind.Colon => ":",
        GqlTokenKind.Equals => "=",
        GqlTokenKind.At => "@",
        GqlTokenKind.BracketL => "[",
        GqlTokenKind.BracketR => "]",
        GqlTokenKind.BraceL => "{",
        GqlTokenKind.BraceR => "}",
        GqlTokenKind.Pipe => "|",
        GqlTokenKind.Name => "Name",
        GqlTokenKind.Int => "Int",
        GqlTokenKind.Float => "Float",
        GqlTokenKind.String => "String",
        GqlTokenKind.BlockString => "BlockString",
        _ => "?",
    };

    /// <summary>The kind, followed by the quoted value for tokens that carry one: <c>Name "on"</c>.</summary>
    public override string ToString() =>
        Value.Length > 0 ? KindName(Kind) + " " + GoQuote.Quote(Value) : KindName(Kind);
}
