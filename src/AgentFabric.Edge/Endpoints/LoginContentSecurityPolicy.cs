using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace AgentFabric.Edge.Endpoints;

/// <summary>
/// The sign-in page's Content-Security-Policy. Browsers check <c>form-action</c> on every redirect that follows a
/// form submission too (CSP Level 3 §6.4.1; Chromium enforces it), and a successful sign-in redirects through the
/// authorization endpoint on to the client's redirect URI: so the origin of the redirect URI in the pending
/// authorization request is allowed beside <c>'self'</c>, or the browser blocks the way back to the client. The
/// authorization endpoint still checks that URI against the client's registration; the form's own action is fixed.
/// </summary>
internal static partial class LoginContentSecurityPolicy
{
    /// <param name="upstreamIssuers">The upstream providers' issuers: their sign-in forms end there.</param>
    public static string For(string returnUrl, IEnumerable<Uri>? upstreamIssuers = null)
    {
        var sources = new List<string> { "'self'" };
        if (ClientOrigin(returnUrl) is { } origin)
        {
            sources.Add(origin);
        }

        sources.AddRange((upstreamIssuers ?? []).Select(i => i.GetLeftPart(UriPartial.Authority)));
        return $"default-src 'none'; style-src 'unsafe-inline'; form-action {string.Join(' ', sources.Distinct(StringComparer.Ordinal))}; frame-ancestors 'none'";
    }

    /// <summary>The http(s) origin of the <c>redirect_uri</c> in a return URL to the authorization endpoint, or null
    /// (none, several, another scheme, or anything that is not a plain host-source: nothing is added then).</summary>
    internal static string? ClientOrigin(string returnUrl)
    {
        var query = returnUrl.IndexOf('?', StringComparison.Ordinal);
        if (query < 0 || !QueryHelpers.ParseQuery(returnUrl[query..]).TryGetValue("redirect_uri", out var values) || values.Count != 1)
        {
            return null;
        }

        if (!Uri.TryCreate(values[0], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        // Only characters of a CSP host-source (CSP Level 3 §2.3.1): nothing can end the directive or add another.
        var origin = uri.GetLeftPart(UriPartial.Authority);
        return HostSource().IsMatch(origin) ? origin : null;
    }

    [GeneratedRegex(@"^https?://([A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$")]
    private static partial Regex HostSource();
}
