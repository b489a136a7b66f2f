using System.Text.RegularExpressions;

namespace AgentFabric.Edge.Federation;

/// <summary>
/// An external OpenID Connect provider (Keycloak, Entra ID, another edge...) people may sign in through: the login
/// page shows "Sign in with <see cref="DisplayName"/>", the edge runs the authorization code flow with PKCE against
/// <see cref="Issuer"/> as the confidential client <see cref="ClientId"/>, validates the ID token (issuer, audience,
/// nonce, signature from the provider's JWKS) and maps the claims below into its own login.
/// </summary>
public sealed partial class UpstreamProvider
{
    /// <summary>The provider's short name: lowercase letters, digits and <c>-</c>; it names the provider in URLs,
    /// in the <c>idp</c> claim and as the subject prefix.</summary>
    public string Name { get; set; } = "";

    /// <summary>What the login page calls it ("Sign in with ..."); the name when null.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The provider's issuer; its discovery document (<c>/.well-known/openid-configuration</c>) must name
    /// this very issuer (OIDC Discovery §4.3).</summary>
    public Uri? Issuer { get; set; }

    /// <summary>This edge's client id at the provider. Register the edge there with the redirect URI
    /// <c>{edge issuer}account/upstream-callback</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client secret itself (for hosts that hold it already); at most one of this,
    /// <see cref="ClientSecretFile"/> and <see cref="ClientSecretEnvironmentVariable"/>; none makes the edge a
    /// public client (PKCE only).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A file whose first line is the client secret, read at start.</summary>
    public string? ClientSecretFile { get; set; }

    /// <summary>An environment variable holding the client secret, read at start.</summary>
    public string? ClientSecretEnvironmentVariable { get; set; }

    /// <summary>The scopes asked for; <c>openid</c> is required (OIDC Core §3.1.2.1).</summary>
    public IList<string> Scopes { get; } = ["openid", "profile", "email"];

    /// <summary>The upstream claim that identifies the person (OIDC Core §2: <c>sub</c> is the stable one).</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>The upstream claim that becomes our <c>name</c>.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>The upstream claim that becomes our <c>preferred_username</c>.</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    /// <summary>The upstream claim that becomes our <c>email</c>.</summary>
    public string EmailClaim { get; set; } = "email";

    /// <summary>The upstream claim whose values become our <c>role</c> claims (e.g. <c>roles</c> or <c>groups</c>);
    /// null maps none.</summary>
    public string? RolesClaim { get; set; }

    public UpstreamSubjectMapping SubjectMapping { get; set; } = UpstreamSubjectMapping.Prefixed;

    /// <summary>With <see cref="UpstreamSubjectMapping.LocalUser"/>: the upstream claim holding the local user name.</summary>
    public string LocalUserClaim { get; set; } = "preferred_username";

    internal string Label => DisplayName ?? Name;

    internal IEnumerable<string> Validate()
    {
        var who = $"edge: upstream \"{Name}\"";
        if (!NamePattern().IsMatch(Name))
        {
            yield return $"edge: an upstream's name must be 1-32 lowercase letters, digits or '-', not \"{Name}\"";
        }

        if (Issuer is null || !Issuer.IsAbsoluteUri || (Issuer.Scheme != Uri.UriSchemeHttps && Issuer.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(Issuer.Query) || !string.IsNullOrEmpty(Issuer.Fragment))
        {
            // OIDC Discovery §3: the issuer is an https URL with no query or fragment (http for loopback tests).
            yield return $"{who}: the issuer must be an absolute http(s) URL without query or fragment, not \"{Issuer}\"";
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return $"{who}: the client id is required";
        }

        if (new[] { ClientSecret, ClientSecretFile, ClientSecretEnvironmentVariable }.Count(s => s is not null) > 1)
        {
            yield return $"{who}: give the client secret one way only (the secret, a file or an environment variable)";
        }

        if (!Scopes.Contains("openid"))
        {
            // OIDC Core §3.1.2.1: without openid there is no ID token to validate.
            yield return $"{who}: the scopes must include openid";
        }

        foreach (var scope in Scopes.Where(s => s.Length == 0 || s.Any(c => c <= ' ' || c == '"' || c == '\\' || c > '~')))
        {
            // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
            yield return $"{who}: \"{scope}\" is not a valid scope";
        }

        foreach (var (claim, setting) in new[] { (SubjectClaim, "subject"), (NameClaim, "name"), (UserNameClaim, "user name"), (EmailClaim, "email"), (LocalUserClaim, "local user") })
        {
            if (string.IsNullOrWhiteSpace(claim))
            {
                yield return $"{who}: the {setting} claim must be named";
            }
        }

        if (RolesClaim is not null && string.IsNullOrWhiteSpace(RolesClaim))
        {
            yield return $"{who}: the roles claim must be named or left out";
        }

        if (!Enum.IsDefined(SubjectMapping))
        {
            yield return $"{who}: unknown subject mapping {SubjectMapping}";
        }
    }

    /// <summary>The client secret from wherever it was configured (null for a public client). Throws
    /// <see cref="EdgeConfigException"/> when the file cannot be read, the variable is not set or either is empty.</summary>
    internal string? ResolveClientSecret()
    {
        var who = $"edge: upstream \"{Name}\"";
        if (ClientSecretFile is { } file)
        {
            string? line;
            try
            {
                using var reader = new StreamReader(file);
                line = reader.ReadLine();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new EdgeConfigException($"{who}: cannot read the client secret file {file}: {e.Message}", e);
            }

            return string.IsNullOrEmpty(line) ? throw new EdgeConfigException($"{who}: the client secret file {file} is empty") : line;
        }

        if (ClientSecretEnvironmentVariable is { } variable)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            return string.IsNullOrEmpty(value)
                ? throw new EdgeConfigException($"{who}: the environment variable {variable} holding the client secret is not set")
                : value;
        }

        return ClientSecret is { Length: 0 } ? throw new EdgeConfigException($"{who}: the client secret is empty") : ClientSecret;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,31}\z")]
    private static partial Regex NamePattern();
}
