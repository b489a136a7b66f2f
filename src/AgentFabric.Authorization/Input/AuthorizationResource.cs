namespace AgentFabric.Authorization.Input;

/// <summary>What the call acts on: a type (<c>report</c>), optionally an id, an owner and string attributes.</summary>
public sealed record AuthorizationResource(string Type, string? Id = null, string? Owner = null, IReadOnlyDictionary<string, string>? Attributes = null);
