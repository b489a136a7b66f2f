using System.Diagnostics.CodeAnalysis;

namespace AgentFabric.Authorization;

/// <summary>A rule path as OPA's Data API and decision logs spell it (<c>agentfabric/authz/allow</c>), convertible to
/// the Rego reference (<c>data.agentfabric.authz.allow</c>). Segments are Rego identifiers.</summary>
public sealed record DecisionPath
{
    private DecisionPath(string[] segments)
    {
        Segments = segments;
    }

    /// <summary>The segments, e.g. <c>["agentfabric", "authz", "allow"]</c>.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>The Rego reference, e.g. <c>data.agentfabric.authz.allow</c>.</summary>
    public string RegoReference => "data." + string.Join('.', Segments);

    /// <summary>The slash form, e.g. <c>agentfabric/authz/allow</c> (decision logs' <c>path</c>).</summary>
    public override string ToString() => string.Join('/', Segments);

    /// <summary>Parses <c>a/b/c</c>, <c>/a/b/c</c> or <c>data.a.b.c</c>; throws <see cref="ArgumentException"/> for a path
    /// that is empty or has a segment that is not a Rego identifier.</summary>
    public static DecisionPath Parse(string path) =>
        TryParse(path, out var parsed, out var error) ? parsed : throw new ArgumentException(error, nameof(path));

    /// <summary>Parses a path; false (with the reason) when it is not one.</summary>
    public static bool TryParse(string? path, [NotNullWhen(true)] out DecisionPath? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (string.IsNullOrEmpty(path))
        {
            error = "decision path: empty";
            return false;
        }

        var segments = path.StartsWith("data.", StringComparison.Ordinal)
            ? path["data.".Length..].Split('.')
            : path.TrimStart('/').Split('/');
        foreach (var segment in segments)
        {
            if (!IsIdentifier(segment))
            {
                error = $"decision path: segment '{segment}' of '{path}' is not a Rego identifier";
                return false;
            }
        }

        parsed = new DecisionPath(segments);
        error = null;
        return true;
    }

    /// <inheritdoc />
    public bool Equals(DecisionPath? other) => other is not null && Segments.SequenceEqual(other.Segments, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    // Rego grammar: var = ( ALPHA | "_" ) { ALPHA | DIGIT | "_" }.
    private static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
