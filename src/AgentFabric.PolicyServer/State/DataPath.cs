using System.Text;

namespace AgentFabric.PolicyServer.State;

/// <summary>A path of the Data API (<c>/v1/data/a/b</c>): its segments and the Rego reference they name.</summary>
internal static class DataPath
{
    /// <summary>Splits a URL path remainder (already unescaped by routing) into segments; empty segments are
    /// ignored, as OPA's <c>stringPathToDataRef</c> does.</summary>
    public static string[] Segments(string? path) =>
        string.IsNullOrEmpty(path) ? [] : path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();

    /// <summary><c>data.a.b</c>, or <c>data["a-b"]</c> for a segment that is not an identifier.</summary>
    public static string Reference(IReadOnlyList<string> segments)
    {
        var s = new StringBuilder("data");
        foreach (var seg in segments)
        {
            if (IsIdentifier(seg))
            {
                s.Append('.').Append(seg);
            }
            else
            {
                s.Append('[').Append(System.Text.Json.JsonSerializer.Serialize(seg)).Append(']');
            }
        }

        return s.ToString();
    }

    /// <summary>The path written as OPA writes storage paths: <c>/a/b</c>.</summary>
    public static string Display(IReadOnlyList<string> segments) => "/" + string.Join('/', segments);

    private static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && s is not ("null" or "true" or "false" or "not" or "some" or "every" or "in" or "if" or "contains" or "else" or "with" or "as" or "default" or "import" or "package");
}
