using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego;

/// <summary>A module to compile: its file name (appears in error locations), its text and its Rego version.</summary>
public sealed record RegoModuleSource(string Name, string Text, RegoVersion Version = RegoVersion.V1);
