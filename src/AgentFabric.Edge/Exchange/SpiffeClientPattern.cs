namespace AgentFabric.Edge.Exchange;

/// <summary>
/// A SPIFFE client registration: an exact SPIFFE ID (<c>spiffe://example.org/agents/a</c>), every ID under a path
/// (<c>spiffe://example.org/agents/*</c>) or a whole trust domain (<c>spiffe://example.org/*</c>).
/// </summary>
public sealed class SpiffeClientPattern
{
    private readonly string _prefix;
    private readonly bool _wildcard;

    private SpiffeClientPattern(string text, string prefix, bool wildcard)
    {
        Text = text;
        _prefix = prefix;
        _wildcard = wildcard;
    }

    public string Text { get; }

    /// <summary>Throws <see cref="ArgumentException"/> when the pattern is not a SPIFFE ID or an ID ending in <c>/*</c>.</summary>
    public static SpiffeClientPattern Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var wildcard = text.EndsWith("/*", StringComparison.Ordinal);
        var body = wildcard ? text[..^2] : text;
        // spiffe://td/* is the whole trust domain; spiffe://td parses as the trust domain's own ID.
        if (!AgentFabric.Spiffe.SpiffeId.TryParse(body, out _, out var error))
        {
            throw new ArgumentException($"edge: bad SPIFFE client pattern \"{text}\": {error}", nameof(text));
        }

        return new SpiffeClientPattern(text, wildcard ? body + "/" : body, wildcard);
    }

    public bool Matches(AgentFabric.Spiffe.SpiffeId id)
    {
        var s = id.ToString();
        return _wildcard ? s.StartsWith(_prefix, StringComparison.Ordinal) && s.Length > _prefix.Length : s == _prefix;
    }
}
