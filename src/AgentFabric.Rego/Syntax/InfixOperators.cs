namespace AgentFabric.Rego.Syntax;

/// <summary>Maps infix operator symbols to the builtins that implement them.</summary>
internal static class InfixOperators
{
    private static readonly Dictionary<string, string> SymbolByName = new(StringComparer.Ordinal)
    {
        ["equal"] = "==",
        ["neq"] = "!=",
        ["lt"] = "<",
        ["lte"] = "<=",
        ["gt"] = ">",
        ["gte"] = ">=",
        ["plus"] = "+",
        ["minus"] = "-",
        ["mul"] = "*",
        ["div"] = "/",
        ["rem"] = "%",
        ["and"] = "&",
        ["or"] = "|",
        ["internal.member_2"] = "in",
    };

    public static bool TryGetSymbol(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? symbol) =>
        SymbolByName.TryGetValue(name, out symbol);

    public static string? BuiltinFor(TokenKind kind) => kind switch
    {
        TokenKind.Equal => "equal",
        TokenKind.NotEqual => "neq",
        TokenKind.Lt => "lt",
        TokenKind.Lte => "lte",
        TokenKind.Gt => "gt",
        TokenKind.Gte => "gte",
        TokenKind.Plus => "plus",
        TokenKind.Minus => "minus",
        TokenKind.Star => "mul",
        TokenKind.Slash => "div",
        TokenKind.Percent => "rem",
        TokenKind.Amp => "and",
        TokenKind.Pipe => "or",
        _ => null,
    };
}
