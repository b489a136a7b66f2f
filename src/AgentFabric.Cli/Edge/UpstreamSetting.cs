using System.Text.Json.Serialization;
using AgentFabric.Edge.Federation;

namespace AgentFabric.Cli.Edge;

/// <summary>
/// One member of <c>edge run --config</c>'s <c>upstream</c> array: an OIDC provider people may sign in through.
/// <c>{"name", "display_name", "issuer", "client_id", "client_secret_file" | "client_secret_env", "scopes": [],
/// "claims": {"subject", "name", "user_name", "email", "roles"}, "subject_mapping": "prefixed|local_user",
/// "local_user_claim"}</c>. The secret itself is never in the file or on the command line: it is named by a file or
/// an environment variable, read when the edge starts.
/// </summary>
internal sealed class UpstreamSetting
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("display_name")] public string? DisplayName { get; set; }
    [JsonPropertyName("issuer")] public string? Issuer { get; set; }
    [JsonPropertyName("client_id")] public string? ClientId { get; set; }
    [JsonPropertyName("client_secret_file")] public string? ClientSecretFile { get; set; }
    [JsonPropertyName("client_secret_env")] public string? ClientSecretEnv { get; set; }
    [JsonPropertyName("scopes")] public string[]? Scopes { get; set; }
    [JsonPropertyName("claims")] public ClaimSettings? Claims { get; set; }
    [JsonPropertyName("subject_mapping")] public string? SubjectMapping { get; set; }
    [JsonPropertyName("local_user_claim")] public string? LocalUserClaim { get; set; }

    /// <summary>The provider; the edge's own validation names any bad value. Throws <see cref="CliException"/>
    /// (prefixed with <paramref name="where"/>) for what cannot even be represented: a relative issuer URL or an
    /// unknown subject mapping.</summary>
    public UpstreamProvider ToProvider(string where)
    {
        var provider = new UpstreamProvider
        {
            Name = Name ?? "",
            DisplayName = DisplayName,
            Issuer = Issuer is null ? null : Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer)
                ? issuer
                : throw new CliException($"{where}: issuer \"{Issuer}\" is not an absolute URL"),
            ClientId = ClientId ?? "",
            ClientSecretFile = ClientSecretFile,
            ClientSecretEnvironmentVariable = ClientSecretEnv,
            SubjectMapping = SubjectMapping switch
            {
                null or "prefixed" => UpstreamSubjectMapping.Prefixed,
                "local_user" => UpstreamSubjectMapping.LocalUser,
                var other => throw new CliException($"{where}: subject_mapping \"{other}\" is not one of prefixed, local_user"),
            },
        };
        if (Scopes is not null)
        {
            provider.Scopes.Clear();
            foreach (var scope in Scopes)
            {
                provider.Scopes.Add(scope);
            }
        }

        provider.SubjectClaim = Claims?.Subject ?? provider.SubjectClaim;
        provider.NameClaim = Claims?.Name ?? provider.NameClaim;
        provider.UserNameClaim = Claims?.UserName ?? provider.UserNameClaim;
        provider.EmailClaim = Claims?.Email ?? provider.EmailClaim;
        provider.RolesClaim = Claims?.Roles;
        provider.LocalUserClaim = LocalUserClaim ?? provider.LocalUserClaim;
        return provider;
    }

    internal sealed class ClaimSettings
    {
        [JsonPropertyName("subject")] public string? Subject { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("user_name")] public string? UserName { get; set; }
        [JsonPropertyName("email")] public string? Email { get; set; }
        [JsonPropertyName("roles")] public string? Roles { get; set; }
    }
}
