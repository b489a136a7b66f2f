using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Input;

/// <summary>The standard authorization input document (Schemas/authorization-input.schema.json), as built by
/// <see cref="AuthorizationInputBuilder"/>.</summary>
public sealed class AuthorizationInput
{
    internal AuthorizationInput(ObjectValue document)
    {
        Document = document;
    }

    /// <summary>The document as a Rego value (what the PDP evaluates with).</summary>
    public ObjectValue Document { get; }

    /// <summary>The document as compact JSON (keys sorted).</summary>
    public string ToJson() => Document.ToJson();
}
