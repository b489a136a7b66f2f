using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Compilation;

/// <summary>Variable scope of a rule body, a query, or a nested comprehension / <c>every</c> body. Slots of all
/// nested scopes come from one counter, so a rule invocation needs one frame.</summary>
internal sealed class Scope(Scope? parent, SlotCounter counter)
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);

    public Scope? Parent { get; } = parent;

    public SlotCounter Counter { get; } = counter;

    /// <summary>Names declared here with <c>some</c>, <c>:=</c>, <c>some .. in</c>, function arguments or <c>every</c>.</summary>
    public HashSet<string> Declared { get; } = new(StringComparer.Ordinal);

    /// <summary>Names written anywhere at this level (not inside nested bodies).</summary>
    public HashSet<string> Mentioned { get; } = new(StringComparer.Ordinal);

    public bool TryGetSlot(string name, out int slot) => _slots.TryGetValue(name, out slot);

    public int Allocate(string name)
    {
        var slot = Counter.Next(name, this);
        if (name != "_")
        {
            _slots[name] = slot;
        }

        return slot;
    }

    /// <summary>Finds the scope that owns a local (declared or already allocated), innermost first.</summary>
    public Scope? FindDeclaring(string name)
    {
        if (_slots.ContainsKey(name) || Declared.Contains(name))
        {
            return this;
        }

        // Enclosing scopes: only names already declared (a `:=` or `some` further down an enclosing body does not
        // reach back into a comprehension written before it).
        for (var s = Parent; s is not null; s = s.Parent)
        {
            if (s._slots.ContainsKey(name))
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>The outermost scope that mentions a name (implicit locals belong to it).</summary>
    public Scope OutermostMentioning(string name)
    {
        var result = this;
        for (var s = Parent; s is not null; s = s.Parent)
        {
            if (s.Mentioned.Contains(name) && !s.Declared.Contains(name))
            {
                result = s;
            }
        }

        return result;
    }

    /// <summary>Whether this scope is <paramref name="other"/> or nested inside it.</summary>
    public bool IsWithin(Scope other)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            if (ReferenceEquals(s, other))
            {
                return true;
            }
        }

        return false;
    }

    public int SlotFor(string name) => _slots.TryGetValue(name, out var slot) ? slot : Allocate(name);
}
