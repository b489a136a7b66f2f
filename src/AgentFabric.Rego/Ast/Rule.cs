using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Ast;

/// <summary>The shape of what a rule defines.</summary>
public enum RuleKind
{
    /// <summary><c>p := v</c>, <c>p if ...</c>, <c>p.q[r] := v</c>: one value at the head's path.</summary>
    SingleValue,

    /// <summary><c>p contains x</c> (or v0 <c>p[x] { }</c>): members of a set at the head's path.</summary>
    MultiValue,

    /// <summary><c>f(x) := v</c>.</summary>
    Function,
}

/// <summary>A rule (or one definition of a function), with its <c>else</c> chain.</summary>
public sealed class Rule
{
    internal Rule(Location location) => Location = location;

    /// <summary>Where the rule starts.</summary>
    public Location Location { get; }

    /// <summary>The head reference relative to the package: first element is the rule name (a string term), the
    /// rest are path operands (strings or variables).</summary>
    public List<Term> Head { get; internal set; } = [];

    /// <summary>The kind.</summary>
    public RuleKind Kind { get; internal set; }

    /// <summary>Whether this is a <c>default</c> rule.</summary>
    public bool IsDefault { get; internal set; }

    /// <summary>Function parameters.</summary>
    public Term[]? Args { get; internal set; }

    /// <summary>The member term of a multi-value rule.</summary>
    public Term? Key { get; internal set; }

    /// <summary>The value term (<c>true</c> when omitted).</summary>
    public Term? Value { get; internal set; }

    /// <summary>Whether the head used <c>:=</c>.</summary>
    public bool IsAssignment { get; internal set; }

    /// <summary>The body (empty for a rule without one).</summary>
    public Body Body { get; internal set; } = new([], default);

    /// <summary>The next rule of the <c>else</c> chain.</summary>
    public Rule? Else { get; internal set; }

    /// <summary>The rule's <c># METADATA</c> annotations, if any (scope rule or document).</summary>
    public ObjectValue? Annotations { get; internal set; }

    /// <summary>The module that holds the rule.</summary>
    public Module Module { get; internal set; } = null!;

    /// <summary>Whether the value (or member) term is a constant, so one solution of the body is enough.</summary>
    internal bool HasConstantOutput { get; set; }

    /// <summary>Equality literals with the input that must hold for the body to succeed (see
    /// <see cref="Compilation.InputGuard"/>).</summary>
    internal Compilation.InputGuard[] Guards { get; set; } = [];

    /// <summary>The body without its guard literals, built on first use: once the guards are known to hold, those
    /// literals need no evaluation. Policies are immutable, so a racing second build stores an equal list.</summary>
    internal List<Expr>? ExprsAfterGuards { get; set; }

    /// <summary>Number of frame slots the compiled rule needs.</summary>
    internal int SlotCount { get; set; }

    /// <summary>This rule with the helper rules its body refers to inlined (see PolicyCompiler.Inline.cs); null
    /// when it refers to none.</summary>
    internal Rule? Inlined { get; set; }

    /// <summary>The nodes of the helpers inlined into this copy: it stands for the original only while none of
    /// them has a base document beside its rule.</summary>
    internal Compilation.RuleNode[] InlinedFrom { get; private set; } = [];

    /// <summary>A copy of this rule (without else branches) with another body, which needs the given number of
    /// frame slots.</summary>
    internal Rule WithBody(Body body, int slotCount, Compilation.RuleNode[] inlinedFrom) => new(Location)
    {
        Head = Head,
        Kind = Kind,
        IsDefault = IsDefault,
        Args = Args,
        Key = Key,
        Value = Value,
        IsAssignment = IsAssignment,
        Body = body,
        Annotations = Annotations,
        Module = Module,
        HasConstantOutput = HasConstantOutput,
        SlotCount = slotCount,
        InlinedFrom = inlinedFrom,
    };

    /// <summary>The name of the rule (first head element).</summary>
    public string Name => ((StringValue)((ScalarTerm)Head[0]).Value).Value;

    /// <summary>The head as text, e.g. <c>p.q[r]</c>.</summary>
    public string HeadText
    {
        get
        {
            var sb = new System.Text.StringBuilder(Name);
            for (var i = 1; i < Head.Count; i++)
            {
                if (Head[i] is ScalarTerm { Value: StringValue s } && Syntax.Lexer.IsIdentifier(s.Value))
                {
                    sb.Append('.').Append(s.Value);
                }
                else
                {
                    sb.Append('[');
                    Head[i].Write(sb);
                    sb.Append(']');
                }
            }

            return sb.ToString();
        }
    }
}
