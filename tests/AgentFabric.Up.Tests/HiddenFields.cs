using System.Net;
using System.Text.RegularExpressions;

namespace AgentFabric.Up.Tests;

/// <summary>The hidden inputs of an HTML page (a login form's request id, an antiforgery token), decoded, as a browser
/// would post them; a name that several forms repeat keeps its first value.</summary>
internal static partial class HiddenFields
{
    public static Dictionary<string, string> Parse(string page) =>
        HiddenField().Matches(page).GroupBy(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups[2].Value));

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
