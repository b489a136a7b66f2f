using System.Net;
using System.Text.RegularExpressions;

namespace AgentFabric.Edge.Tests.Federation;

/// <summary>
/// A browser for two sites on one loopback address: one cookie jar per origin. Cookies ignore ports (RFC 6265
/// §8.5), so two edges on 127.0.0.1 would overwrite each other's login and antiforgery cookies, which no real
/// deployment (an IdP on a host of its own) does. Redirects are not followed, so tests see each hop.
/// </summary>
internal sealed partial class SiteBrowser : IDisposable
{
    private readonly Dictionary<string, HttpClient> _sites = new(StringComparer.Ordinal);

    public Task<HttpResponseMessage> GetAsync(Uri uri) => Site(uri).GetAsync(uri);

    public Task<HttpResponseMessage> PostFormAsync(Uri uri, IEnumerable<KeyValuePair<string, string>> fields) =>
        Site(uri).PostAsync(uri, new FormUrlEncodedContent(fields));

    /// <summary>The location of a redirect, made absolute against the request's URI.</summary>
    public static Uri Location(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"expected a redirect, got {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    /// <summary>The form whose action is <paramref name="action"/>: its absolute target and its hidden fields.</summary>
    public static (Uri Action, Dictionary<string, string> Fields) Form(Uri page, string html, string action)
    {
        foreach (Match form in FormPattern().Matches(html))
        {
            var target = WebUtility.HtmlDecode(form.Groups[1].Value);
            if (target == action || (Uri.TryCreate(target, UriKind.Absolute, out var abs) && abs.AbsolutePath == action))
            {
                var fields = HiddenField().Matches(form.Groups[2].Value)
                    .ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
                return (new Uri(page, target), fields);
            }
        }

        throw new Xunit.Sdk.XunitException($"no form posting to {action} in:\n{html}");
    }

    public void Dispose()
    {
        foreach (var client in _sites.Values)
        {
            client.Dispose();
        }
    }

    private HttpClient Site(Uri uri)
    {
        var origin = uri.GetLeftPart(UriPartial.Authority);
        if (!_sites.TryGetValue(origin, out var client))
        {
            client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true });
            _sites[origin] = client;
        }

        return client;
    }

    [GeneratedRegex("<form[^>]*\\saction=\"([^\"]+)\"[^>]*>(.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input\\s+type=\"hidden\"\\s+name=\"([^\"]+)\"\\s+value=\"([^\"]*)\"\\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenField();
}
