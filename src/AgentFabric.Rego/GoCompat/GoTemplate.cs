namespace AgentFabric.Rego.GoCompat;

/// <summary>A template in Go's <c>text/template</c> language: text with <c>{{actions}}</c> (pipelines of fields,
/// variables, literals and functions; if/else, range, with, define/template/block, break/continue; trim markers
/// <c>{{-</c> / <c>-}}</c>; comments). This file holds the tree; GoTemplate.Parser.cs builds it and
/// GoTemplate.Execute.cs runs it over Rego values.</summary>
internal sealed partial class GoTemplate
{
    private readonly Dictionary<string, List<Node>> _defined = new(StringComparer.Ordinal);
    private readonly List<Node> _root;

    private GoTemplate(string text)
    {
        var parser = new Parser(text, _defined);
        _root = parser.ParseRoot();
    }

    /// <summary>Parses a template; throws <see cref="RegoBuiltinException"/> with Go's error text.</summary>
    public static GoTemplate Parse(string text) => new(text);

    private abstract record Node(int Line);

    private sealed record TextNode(int Line, string Text) : Node(Line);

    private sealed record ActionNode(int Line, Pipeline Pipe) : Node(Line);

    private sealed record IfNode(int Line, Pipeline Pipe, List<Node> Then, List<Node>? Else) : Node(Line);

    private sealed record WithNode(int Line, Pipeline Pipe, List<Node> Then, List<Node>? Else) : Node(Line);

    private sealed record RangeNode(int Line, Pipeline Pipe, List<Node> Body, List<Node>? Else) : Node(Line);

    private sealed record TemplateNode(int Line, string Name, Pipeline? Pipe) : Node(Line);

    private sealed record BreakNode(int Line) : Node(Line);

    private sealed record ContinueNode(int Line) : Node(Line);

    /// <summary>A pipeline: optional variable declaration (:=) or assignment (=), then commands joined by '|'.</summary>
    private sealed record Pipeline(int Line, List<string> Variables, bool IsAssign, List<Command> Commands);

    private sealed record Command(List<Operand> Args);

    private abstract record Operand;

    /// <summary>.a.b on dot (an empty chain is dot itself).</summary>
    private sealed record FieldOperand(string[] Chain) : Operand;

    /// <summary>$x.a.b.</summary>
    private sealed record VariableOperand(string Name, string[] Chain) : Operand;

    /// <summary>A function name (and, printf, ...).</summary>
    private sealed record IdentifierOperand(string Name) : Operand;

    /// <summary>A string, number, boolean or nil constant.</summary>
    private sealed record ConstantOperand(object? Value) : Operand;

    /// <summary>(pipeline).a.b.</summary>
    private sealed record SubPipelineOperand(Pipeline Pipe, string[] Chain) : Operand;
}
