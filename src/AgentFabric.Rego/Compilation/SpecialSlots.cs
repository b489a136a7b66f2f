namespace AgentFabric.Rego.Compilation;

/// <summary>Slot numbers of the two root documents; a <see cref="Ast.VarTerm"/> with one of these is a root.</summary>
internal static class SpecialSlots
{
    public const int Data = -2;
    public const int Input = -3;
}
