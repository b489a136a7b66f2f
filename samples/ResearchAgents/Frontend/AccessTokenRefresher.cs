using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ResearchAgents.Frontend;

/// <summary>
/// Keeps the person's access token fresh: the edge's access tokens live minutes, the session an hour. When the saved
/// token is within <see cref="Margin"/> of expiry, it is renewed with the saved refresh token (OAuth 2.0 §6, a public
/// client names itself by <c>client_id</c>) and the session cookie is rewritten with the new tokens (the edge rotates
/// refresh tokens, so the old one must not be used again).
/// </summary>
public sealed class AccessTokenRefresher(IOptionsMonitor<OpenIdConnectOptions> oidc, IHttpClientFactory clients, TimeProvider time)
{
    /// <summary>How long before expiry a token is renewed: an exchange and two hops must fit in what is left.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    /// <summary>The current access token, renewed first when it is about to expire; null when there is none or it
    /// could not be renewed (the person signs in again).</summary>
    public async Task<string?> GetAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var result = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        if (!result.Succeeded || result.Properties is null)
        {
            return null;
        }

        var properties = result.Properties;
        var token = properties.GetTokenValue("access_token");
        var expiresAt = properties.GetTokenValue("expires_at");
        if (token is null || (DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiry)
                && expiry - Margin > time.GetUtcNow()))
        {
            return token;
        }

        var refreshToken = properties.GetTokenValue("refresh_token");
        if (refreshToken is null)
        {
            return null;
        }

        var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted).ConfigureAwait(false);
        using var client = clients.CreateClient(nameof(AccessTokenRefresher));
        using var response = await client.PostAsync(new Uri(configuration.TokenEndpoint), new FormUrlEncodedContent(
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", options.ClientId!),
        ]), http.RequestAborted).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(http.RequestAborted).ConfigureAwait(false));
        var root = body.RootElement;
        if (!root.TryGetProperty("access_token", out var access) || access.GetString() is not { Length: > 0 } renewed)
        {
            return null;
        }

        var tokens = new List<AuthenticationToken>
        {
            new() { Name = "access_token", Value = renewed },
            new() { Name = "refresh_token", Value = root.TryGetProperty("refresh_token", out var r) && r.GetString() is { Length: > 0 } next ? next : refreshToken },
        };
        if (root.TryGetProperty("expires_in", out var lifetime) && lifetime.TryGetInt32(out var seconds))
        {
            tokens.Add(new() { Name = "expires_at", Value = (time.GetUtcNow() + TimeSpan.FromSeconds(seconds)).ToString("o", CultureInfo.InvariantCulture) });
        }

        if (properties.GetTokenValue("id_token") is { } idToken)
        {
            tokens.Add(new() { Name = "id_token", Value = idToken });
        }

        properties.StoreTokens(tokens);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!, properties).ConfigureAwait(false);
        return renewed;
    }
}
