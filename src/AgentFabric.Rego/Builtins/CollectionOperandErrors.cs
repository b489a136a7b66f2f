using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins;

/// <summary>Operand errors whose expected-type list OPA prints in its own (unsorted) order, and errors about an
/// element of a collection operand. <see cref="BuiltinArgs.TypeMismatch"/> sorts the names, which matches most
/// builtins but not those below, whose texts the conformance cases pin exactly.</summary>
internal static class CollectionOperandErrors
{
    /// <summary><c>operand N must be one of {set, array} but got T</c>, names in the given order.</summary>
    public static RegoBuiltinException OneOfInOrder(int index, Value actual, params string[] expected) =>
        BuiltinArgs.OperandError(index, $"must be one of {{{string.Join(", ", expected)}}} but got {actual.TypeName}");

    /// <summary><c>operand N must be array of numbers but got array containing string</c>.</summary>
    public static RegoBuiltinException Element(int index, Value collection, Value element, string expected) =>
        BuiltinArgs.OperandError(index, $"must be {collection.TypeName} of {expected}s but got {collection.TypeName} containing {element.TypeName}");
}
