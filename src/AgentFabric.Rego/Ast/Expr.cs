using System.Text;

namespace AgentFabric.Rego.Ast;

/// <summary>One literal of a rule body or query: an expression, optionally negated and with modifiers.</summary>
public abstract class Expr
{
    private protected Expr(Location location) => Location = location;

    /// <summary>Where the literal starts.</summary>
    public Location Location { get; }

    /// <summary>Whether the literal is <c>not ...</c>.</summary>
    public bool Negated { get; internal set; }

    /// <summary>The <c>with</c> modifiers.</summary>
    public WithModifier[] With { get; internal set; } = [];

    /// <summary>For a top-level expression of a query prepared with expression values: its position in the query
    /// (the evaluator records the value there); -1 otherwise.</summary>
    internal int CaptureIndex { get; set; } = -1;

    /// <summary>Appends the expression (without negation and modifiers).</summary>
    protected abstract void WriteCore(StringBuilder sb);

    /// <summary>Appends the literal as Rego text.</summary>
    public void Write(StringBuilder sb)
    {
        if (Negated)
        {
            sb.Append("not ");
        }

        WriteCore(sb);
        foreach (var w in With)
        {
            sb.Append(" with ");
            w.Target.Write(sb);
            sb.Append(" as ");
            w.Value.Write(sb);
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }
}

/// <summary><c>with target as value</c>.</summary>
public sealed record WithModifier(Term Target, Term Value, Location Location)
{
    /// <summary>The value term (may be rewritten by the compiler).</summary>
    public Term Value { get; internal set; } = Value;

    /// <summary>The resolved target, set by the compiler.</summary>
    internal Compilation.WithTarget? Resolved { get; set; }
}

/// <summary>A term used as an expression: true unless undefined or <c>false</c> (calls, comparisons, refs).</summary>
public sealed class TermExpr(Term term, Location location) : Expr(location)
{
    /// <summary>The term.</summary>
    public Term Term { get; internal set; } = term;

    /// <inheritdoc/>
    protected override void WriteCore(StringBuilder sb) => Term.Write(sb);
}

/// <summary><c>a = b</c> (unification) or <c>a := b</c> (assignment of new locals).</summary>
public sealed class UnifyExpr(Term left, Term right, bool isAssignment, Location location) : Expr(location)
{
    /// <summary>The left side.</summary>
    public Term Left { get; internal set; } = left;

    /// <summary>The right side.</summary>
    public Term Right { get; internal set; } = right;

    /// <summary>Whether this is <c>:=</c>.</summary>
    public bool IsAssignment { get; } = isAssignment;

    /// <inheritdoc/>
    protected override void WriteCore(StringBuilder sb)
    {
        Left.Write(sb);
        sb.Append(IsAssignment ? " := " : " = ");
        Right.Write(sb);
    }
}

/// <summary><c>some x, y</c>: declares locals.</summary>
public sealed class SomeDeclExpr(VarTerm[] vars, Location location) : Expr(location)
{
    /// <summary>The declared variables.</summary>
    public VarTerm[] Vars { get; } = vars;

    /// <inheritdoc/>
    protected override void WriteCore(StringBuilder sb)
    {
        sb.Append("some ");
        Term.WriteList(sb, Vars);
    }
}

/// <summary><c>some v in xs</c> or <c>some k, v in xs</c>.</summary>
public sealed class SomeInExpr(Term? key, Term value, Term collection, Location location) : Expr(location)
{
    /// <summary>The key (index) term, when given.</summary>
    public Term? Key { get; internal set; } = key;

    /// <summary>The value term.</summary>
    public Term Value { get; internal set; } = value;

    /// <summary>The collection.</summary>
    public Term Collection { get; internal set; } = collection;

    /// <summary>The evaluator's plan for the equality filters that follow this literal (see
    /// <c>Evaluation.SomeInFilterPlan.For</c>); null until first examined.</summary>
    internal object? FilterPlan;

    /// <inheritdoc/>
    protected override void WriteCore(StringBuilder sb)
    {
        sb.Append("some ");
        if (Key is not null)
        {
            Key.Write(sb);
            sb.Append(", ");
        }

        Value.Write(sb);
        sb.Append(" in ");
        Collection.Write(sb);
    }
}

/// <summary><c>every k, v in domain { body }</c>.</summary>
public sealed class EveryExpr(Term? key, Term value, Term domain, Body body, Location location) : Expr(location)
{
    /// <summary>The key variable, when given.</summary>
    public Term? Key { get; internal set; } = key;

    /// <summary>The value variable.</summary>
    public Term Value { get; internal set; } = value;

    /// <summary>The domain.</summary>
    public Term Domain { get; internal set; } = domain;

    /// <summary>The body that must hold for every element.</summary>
    public Body Body { get; } = body;

    /// <summary>Slots of enclosing scopes the body reads (set by the compiler).</summary>
    internal int[] Captured { get; set; } = [];

    /// <inheritdoc/>
    protected override void WriteCore(StringBuilder sb)
    {
        sb.Append("every ");
        if (Key is not null)
        {
            Key.Write(sb);
            sb.Append(", ");
        }

        Value.Write(sb);
        sb.Append(" in ");
        Domain.Write(sb);
        sb.Append(" { ");
        Body.Write(sb);
        sb.Append(" }");
    }
}

/// <summary><c>not { body }</c>: true when the nested body has no solution (its own variable scope).</summary>
public sealed class NotBodyExpr(Body body, Location location) : Expr(location)
{
    /// <summary>The negated body.</summary>
    public Body Body { get; } = body;

    /// <summary>Slots of enclosing scopes the body reads (set by the compiler).</summary>
    internal int[] Captured { get; set; } = [];

    /// <inheritdoc/>
    protected override void WriteCore(StringBuilder sb)
    {
        sb.Append("not { ");
        Body.Write(sb);
        sb.Append(" }");
    }
}

/// <summary>A rule body or query: literals evaluated in order (after the compiler reorders them for safety).</summary>
public sealed class Body(List<Expr> exprs, Location location)
{
    /// <summary>The literals.</summary>
    public List<Expr> Exprs { get; internal set; } = exprs;

    /// <summary>Where the body starts.</summary>
    public Location Location { get; } = location;

    /// <summary>Appends the body as Rego text (literals separated by <c>; </c>).</summary>
    public void Write(StringBuilder sb)
    {
        for (var i = 0; i < Exprs.Count; i++)
        {
            if (i > 0)
            {
                sb.Append("; ");
            }

            Exprs[i].Write(sb);
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }
}
