namespace AgentFabric.Rego.Syntax;

/// <summary>Kinds of Rego tokens. Keywords are identifiers; the parser recognises them by context.</summary>
internal enum TokenKind
{
    Eof,
    Ident,
    Number,
    String,
    TemplateString,
    LBrace,
    RBrace,
    LBrack,
    RBrack,
    LParen,
    RParen,
    Dot,
    Comma,
    Semicolon,
    Colon,
    Assign,
    Unify,
    Equal,
    NotEqual,
    Lt,
    Lte,
    Gt,
    Gte,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Amp,
    Pipe,
    Illegal,
}

/// <summary>A token with its text (decoded for strings) and position.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, int Column, bool NewlineBefore, int Offset, int End);
