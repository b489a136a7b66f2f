using System.Globalization;

namespace AgentFabric.Rego.GoCompat;

internal sealed partial class GoTemplate
{
    private enum TokenKind
    {
        Identifier,
        Field,
        Variable,
        Constant,
        LeftParen,
        RightParen,
        Pipe,
        Declare,
        Assign,
        Comma,
    }

    private readonly record struct Token(TokenKind Kind, string Text, object? Constant, bool SpaceBefore);

    private readonly record struct Item(bool IsAction, string Text, int Line);

    private sealed partial class Parser
    {
        private readonly List<Item> _items;
        private readonly Dictionary<string, List<Node>> _defined;
        private int _position;

        public Parser(string text, Dictionary<string, List<Node>> defined)
        {
            _items = Split(text);
            _defined = defined;
        }

        public List<Node> ParseRoot()
        {
            var list = ParseList(out var end);
            if (end is not null)
            {
                throw Error(end.Value.Line, $"unexpected {{{{{end.Value.Keyword}}}}}");
            }

            return list;
        }

        // Nodes until {{end}} or {{else ...}} (returned in terminator) or the end of input (terminator null).
        private List<Node> ParseList(out (string Keyword, List<Token> Tokens, int Line)? terminator)
        {
            var nodes = new List<Node>();
            while (_position < _items.Count)
            {
                var item = _items[_position++];
                if (!item.IsAction)
                {
                    nodes.Add(new TextNode(item.Line, item.Text));
                    continue;
                }

                var tokens = Lex(item.Text, item.Line);
                if (tokens.Count == 0)
                {
                    throw Error(item.Line, "missing value for command");
                }

                var keyword = tokens[0].Kind == TokenKind.Identifier ? tokens[0].Text : string.Empty;
                var rest = tokens.GetRange(1, tokens.Count - 1);
                switch (keyword)
                {
                    case "end" or "else":
                        terminator = (keyword, rest, item.Line);
                        return nodes;
                    case "if":
                        nodes.Add(ParseIf(rest, item.Line));
                        break;
                    case "with":
                        nodes.Add(ParseWith(rest, item.Line));
                        break;
                    case "range":
                    {
                        var pipe = ParsePipeline(rest, item.Line, allowDeclaration: true, maxVariables: 2);
                        var body = ParseList(out var end);
                        List<Node>? otherwise = null;
                        if (end?.Keyword == "else")
                        {
                            otherwise = ParseList(out end);
                        }

                        ExpectEnd(end, item.Line);
                        nodes.Add(new RangeNode(item.Line, pipe, body, otherwise));
                        break;
                    }

                    case "define":
                    {
                        var name = TemplateName(rest, item.Line);
                        var body = ParseList(out var end);
                        ExpectEnd(end, item.Line);
                        _defined[name] = body;
                        break;
                    }

                    case "template" or "block":
                    {
                        var name = TemplateName(rest, item.Line);
                        var pipe = rest.Count > 1 ? ParsePipeline(rest.GetRange(1, rest.Count - 1), item.Line, allowDeclaration: false, maxVariables: 0) : null;
                        if (keyword == "block")
                        {
                            var body = ParseList(out var end);
                            ExpectEnd(end, item.Line);
                            _defined.TryAdd(name, body);
                        }

                        nodes.Add(new TemplateNode(item.Line, name, pipe));
                        break;
                    }

                    case "break":
                        nodes.Add(new BreakNode(item.Line));
                        break;
                    case "continue":
                        nodes.Add(new ContinueNode(item.Line));
                        break;
                    default:
                        nodes.Add(new ActionNode(item.Line, ParsePipeline(tokens, item.Line, allowDeclaration: true, maxVariables: 1)));
                        break;
                }
            }

            terminator = null;
            return nodes;
        }

        // {{if p}} ... {{else if q}} ... {{else}} ... {{end}}: "else if" nests another if in the else branch.
        private IfNode ParseIf(List<Token> rest, int line)
        {
            var pipe = ParsePipeline(rest, line, allowDeclaration: true, maxVariables: 1);
            var then = ParseList(out var end);
            List<Node>? otherwise = null;
            if (end?.Keyword == "else")
            {
                if (end.Value.Tokens.Count > 0 && end.Value.Tokens[0] is { Kind: TokenKind.Identifier, Text: "if" })
                {
                    otherwise = [ParseIf(end.Value.Tokens.GetRange(1, end.Value.Tokens.Count - 1), end.Value.Line)];
                    return new IfNode(line, pipe, then, otherwise);
                }

                otherwise = ParseList(out end);
            }

            ExpectEnd(end, line);
            return new IfNode(line, pipe, then, otherwise);
        }

        private WithNode ParseWith(List<Token> rest, int line)
        {
            var pipe = ParsePipeline(rest, line, allowDeclaration: true, maxVariables: 1);
            var then = ParseList(out var end);
            List<Node>? otherwise = null;
            if (end?.Keyword == "else")
            {
                if (end.Value.Tokens.Count > 0 && end.Value.Tokens[0] is { Kind: TokenKind.Identifier, Text: "with" })
                {
                    otherwise = [ParseWith(end.Value.Tokens.GetRange(1, end.Value.Tokens.Count - 1), end.Value.Line)];
                    return new WithNode(line, pipe, then, otherwise);
                }

                otherwise = ParseList(out end);
            }

            ExpectEnd(end, line);
            return new WithNode(line, pipe, then, otherwise);
        }

        private static void ExpectEnd((string Keyword, List<Token> Tokens, int Line)? end, int line)
        {
            if (end is null)
            {
                throw Error(line, "unexpected EOF");
            }

            if (end.Value.Keyword != "end")
            {
                throw Error(end.Value.Line, "unexpected {{else}}");
            }
        }

        private static string TemplateName(List<Token> rest, int line) =>
            rest.Count > 0 && rest[0] is { Kind: TokenKind.Constant, Constant: string name }
                ? name
                : throw Error(line, "missing template name");

        private static Pipeline ParsePipeline(List<Token> tokens, int line, bool allowDeclaration, int maxVariables)
        {
            var position = 0;
            var variables = new List<string>();
            var isAssign = false;
            if (allowDeclaration && tokens.Count > 1 && tokens[0].Kind == TokenKind.Variable)
            {
                var i = 0;
                var names = new List<string> { tokens[0].Text };
                while (i + 2 < tokens.Count && tokens[i + 1].Kind == TokenKind.Comma && tokens[i + 2].Kind == TokenKind.Variable)
                {
                    names.Add(tokens[i + 2].Text);
                    i += 2;
                }

                if (i + 1 < tokens.Count && tokens[i + 1].Kind is TokenKind.Declare or TokenKind.Assign)
                {
                    if (names.Count > maxVariables)
                    {
                        throw Error(line, "too many declarations in command");
                    }

                    variables = names;
                    isAssign = tokens[i + 1].Kind == TokenKind.Assign;
                    position = i + 2;
                }
            }

            var pipe = ParseCommands(tokens, ref position, line, variables, isAssign);
            if (position != tokens.Count)
            {
                throw Error(line, $"unexpected {GoQuote.Quote(tokens[position].Text)} in command");
            }

            return pipe;
        }

        private static Pipeline ParseCommands(List<Token> tokens, ref int position, int line, List<string> variables, bool isAssign)
        {
            var commands = new List<Command>();
            var args = new List<Operand>();
            while (position < tokens.Count && tokens[position].Kind != TokenKind.RightParen)
            {
                var token = tokens[position];
                if (token.Kind == TokenKind.Pipe)
                {
                    if (args.Count == 0)
                    {
                        throw Error(line, "missing command");
                    }

                    commands.Add(new Command(args));
                    args = [];
                    position++;
                    continue;
                }

                args.Add(ParseOperand(tokens, ref position, line));
            }

            if (args.Count == 0)
            {
                throw Error(line, commands.Count == 0 ? "missing value for command" : "missing command");
            }

            commands.Add(new Command(args));
            return new Pipeline(line, variables, isAssign, commands);
        }

        private static Operand ParseOperand(List<Token> tokens, ref int position, int line)
        {
            var token = tokens[position++];
            Operand operand;
            switch (token.Kind)
            {
                case TokenKind.Field:
                    return new FieldOperand(Chain(tokens, ref position, token.Text.Length == 0 ? [] : [token.Text]));
                case TokenKind.Variable:
                    return new VariableOperand(token.Text, Chain(tokens, ref position, []));
                case TokenKind.Identifier:
                    return token.Text switch
                    {
                        "true" => new ConstantOperand(true),
                        "false" => new ConstantOperand(false),
                        "nil" => new ConstantOperand(null),
                        _ => new IdentifierOperand(token.Text),
                    };
                case TokenKind.Constant:
                    return new ConstantOperand(token.Constant);
                case TokenKind.LeftParen:
                {
                    var inner = ParseCommands(tokens, ref position, line, [], false);
                    if (position >= tokens.Count || tokens[position].Kind != TokenKind.RightParen)
                    {
                        throw Error(line, "unclosed left paren");
                    }

                    position++;
                    operand = new SubPipelineOperand(inner, Chain(tokens, ref position, []));
                    return operand;
                }

                default:
                    throw Error(line, $"unexpected {GoQuote.Quote(token.Text)} in operand");
            }
        }

        // Field names written right after an operand (.a.b) without spaces.
        private static string[] Chain(List<Token> tokens, ref int position, List<string> start)
        {
            while (position < tokens.Count && tokens[position].Kind == TokenKind.Field && !tokens[position].SpaceBefore && tokens[position].Text.Length > 0)
            {
                start.Add(tokens[position++].Text);
            }

            return [.. start];
        }
    }

    private static RegoBuiltinException Error(int line, string message) =>
        new($"template: template:{line.ToString(CultureInfo.InvariantCulture)}: {message}");
}
