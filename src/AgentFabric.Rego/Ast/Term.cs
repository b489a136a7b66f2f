using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Ast;

/// <summary>A Rego term: a scalar, a variable, a reference, a composite, a call or a comprehension.</summary>
public abstract class Term
{
    private protected Term(Location location) => Location = location;

    /// <summary>Where the term starts.</summary>
    public Location Location { get; }

    /// <summary>For a ground composite term: its value, computed once (see <c>Evaluator.Fold</c>).</summary>
    internal Value? Folded;

    /// <summary>0: not yet examined; 1: <see cref="Folded"/> holds the value; 2: not ground.</summary>
    internal int FoldState;

    /// <summary>How the evaluator's direct path handles this term (see <c>Evaluator.DirectKindOf</c>); 0 until
    /// first evaluated.</summary>
    internal byte DirectKind;

    /// <summary>Appends the term as Rego text.</summary>
    public abstract void Write(StringBuilder sb);

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    internal static void WriteList(StringBuilder sb, IReadOnlyList<Term> terms)
    {
        for (var i = 0; i < terms.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            terms[i].Write(sb);
        }
    }
}

/// <summary>A null, boolean, number or string literal.</summary>
public sealed class ScalarTerm(Value value, Location location) : Term(location)
{
    /// <summary>The literal value.</summary>
    public Value Value { get; } = value;

    /// <inheritdoc/>
    public override void Write(StringBuilder sb) => Value.WriteTerm(sb);
}

/// <summary>A variable. The compiler resolves it to a slot of its frame, or rewrites it to a reference.</summary>
public sealed class VarTerm(string name, Location location) : Term(location)
{
    /// <summary>The name as written (<c>_</c> for a wildcard before renaming).</summary>
    public string Name { get; internal set; } = name;

    /// <summary>The frame slot, once compiled; -1 before.</summary>
    internal int Slot { get; set; } = -1;

    /// <summary>Whether this is a wildcard (<c>_</c>) or a name the compiler generated for one.</summary>
    public bool IsWildcard => Name == "_" || Name.StartsWith("$", StringComparison.Ordinal);

    /// <inheritdoc/>
    public override void Write(StringBuilder sb) => sb.Append(Name);
}

/// <summary>A reference: a head term followed by a path (<c>data.a[x].b</c>, <c>f(x).y</c>).</summary>
public sealed class RefTerm(Term head, Term[] path, Location location) : Term(location)
{
    /// <summary>The head: a variable (<c>data</c>, <c>input</c>, a local) or any other term.</summary>
    public Term Head { get; internal set; } = head;

    /// <summary>The path operands; <c>.b</c> is the string term <c>"b"</c>.</summary>
    public Term[] Path { get; internal set; } = path;

    /// <summary>When every path operand is a constant: their values, computed on first use (see
    /// <c>Evaluator.ConstantKeys</c>).</summary>
    internal Value[]? ConstantKeys;

    /// <summary>0: not yet examined; 1: <see cref="ConstantKeys"/> holds the keys; 2: some key is not constant.</summary>
    internal int ConstantKeysState;

    /// <summary>For a <c>data</c> reference: where its leading constant keys lead in one policy (see
    /// <c>Evaluation.DataPrefix.Of</c>), kept for the next evaluation.</summary>
    internal object? DataPrefix;

    /// <inheritdoc/>
    public override void Write(StringBuilder sb)
    {
        Head.Write(sb);
        foreach (var p in Path)
        {
            if (p is ScalarTerm { Value: StringValue s } && Syntax.Lexer.IsIdentifier(s.Value))
            {
                sb.Append('.').Append(s.Value);
            }
            else
            {
                sb.Append('[');
                p.Write(sb);
                sb.Append(']');
            }
        }
    }
}

/// <summary>An array literal.</summary>
public sealed class ArrayTerm(Term[] items, Location location) : Term(location)
{
    /// <summary>The elements.</summary>
    public Term[] Items { get; } = items;

    /// <inheritdoc/>
    public override void Write(StringBuilder sb)
    {
        sb.Append('[');
        WriteList(sb, Items);
        sb.Append(']');
    }
}

/// <summary>A set literal.</summary>
public sealed class SetTerm(Term[] items, Location location) : Term(location)
{
    /// <summary>The elements.</summary>
    public Term[] Items { get; } = items;

    /// <inheritdoc/>
    public override void Write(StringBuilder sb)
    {
        if (Items.Length == 0)
        {
            sb.Append("set()");
            return;
        }

        sb.Append('{');
        WriteList(sb, Items);
        sb.Append('}');
    }
}

/// <summary>An object literal.</summary>
public sealed class ObjectTerm((Term Key, Term Value)[] entries, Location location) : Term(location)
{
    /// <summary>The entries in source order.</summary>
    public (Term Key, Term Value)[] Entries { get; } = entries;

    /// <inheritdoc/>
    public override void Write(StringBuilder sb)
    {
        sb.Append('{');
        for (var i = 0; i < Entries.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            Entries[i].Key.Write(sb);
            sb.Append(": ");
            Entries[i].Value.Write(sb);
        }

        sb.Append('}');
    }
}

/// <summary>A call <c>f(a, b)</c> of a builtin or a user function.</summary>
public sealed class CallTerm(Term @operator, Term[] args, Location location) : Term(location)
{
    /// <summary>The called name as written (a variable or a reference such as <c>strings.replace_n</c>).</summary>
    public Term Operator { get; internal set; } = @operator;

    /// <summary>The arguments.</summary>
    public Term[] Args { get; internal set; } = args;

    /// <summary>The dotted name of the operator (<c>count</c>, <c>data.pkg.f</c>).</summary>
    public string OperatorName { get; internal set; } = string.Empty;

    /// <summary>The resolved target, set by the compiler.</summary>
    internal Compilation.CallTarget? Target { get; set; }

    /// <inheritdoc/>
    public override void Write(StringBuilder sb)
    {
        if (Syntax.InfixOperators.TryGetSymbol(OperatorName, out var symbol) && Args.Length == 2)
        {
            Args[0].Write(sb);
            sb.Append(' ').Append(symbol).Append(' ');
            Args[1].Write(sb);
            return;
        }

        Operator.Write(sb);
        sb.Append('(');
        WriteList(sb, Args);
        sb.Append(')');
    }
}

/// <summary>The kind of a comprehension.</summary>
public enum ComprehensionKind
{
    Array,
    Set,
    Object,
}

/// <summary>An array, set or object comprehension.</summary>
public sealed class ComprehensionTerm(ComprehensionKind kind, Term? key, Term value, Body body, Location location) : Term(location)
{
    /// <summary>The kind.</summary>
    public ComprehensionKind Kind { get; } = kind;

    /// <summary>The key term of an object comprehension.</summary>
    public Term? Key { get; } = key;

    /// <summary>The element (or value) term.</summary>
    public Term Value { get; } = value;

    /// <summary>The body.</summary>
    public Body Body { get; } = body;

    /// <summary>Slots of enclosing scopes the comprehension reads (set by the compiler).</summary>
    internal int[] Captured { get; set; } = [];

    /// <inheritdoc/>
    public override void Write(StringBuilder sb)
    {
        sb.Append(Kind == ComprehensionKind.Array ? '[' : '{');
        if (Key is not null)
        {
            Key.Write(sb);
            sb.Append(": ");
        }

        Value.Write(sb);
        sb.Append(" | ");
        Body.Write(sb);
        sb.Append(Kind == ComprehensionKind.Array ? ']' : '}');
    }
}

/// <summary>A template string <c>$"a {x} b"</c>: literal parts interleaved with expressions.</summary>
public sealed class TemplateStringTerm(object[] parts, Location location) : Term(location)
{
    /// <summary>Each part is a <see cref="string"/> or a <see cref="Term"/>.</summary>
    public object[] Parts { get; } = parts;

    /// <summary>Parts written with <c>with</c> modifiers (<c>{a with input as 1}</c>): the parser wraps each in an
    /// array comprehension that collects the expression's values under its modifiers; the evaluator unwraps it.</summary>
    public bool[]? CollectedParts { get; init; }

    /// <inheritdoc/>
    public override void Write(StringBuilder sb)
    {
        sb.Append("$\"");
        foreach (var p in Parts)
        {
            if (p is string s)
            {
                sb.Append(s.Replace("{", "\\{", StringComparison.Ordinal));
            }
            else if (CollectedParts?[Array.IndexOf(Parts, p)] == true && p is ComprehensionTerm c)
            {
                // Show the expression as written: `{t with m}` rather than the comprehension that carries it.
                sb.Append('{');
                var e = (UnifyExpr)c.Body.Exprs[0];
                e.Right.Write(sb);
                foreach (var w in e.With)
                {
                    sb.Append(" with ");
                    w.Target.Write(sb);
                    sb.Append(" as ");
                    w.Value.Write(sb);
                }

                sb.Append('}');
            }
            else
            {
                sb.Append('{');
                ((Term)p).Write(sb);
                sb.Append('}');
            }
        }

        sb.Append('"');
    }
}
