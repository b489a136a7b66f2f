using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Tokens;

/// <summary>The JOSE header parameters decode_verify acts on (RFC 7515 §4.1).</summary>
internal sealed class JwtHeader
{
    private static readonly HashSet<string> Known = ["alg", "kid", "typ", "cty", "crit"];

    public string Alg { get; private init; } = "";

    public string Kid { get; private init; } = "";

    public string Cty { get; private init; } = "";

    public List<string> Crit { get; } = [];

    public static JwtHeader Parse(ObjectValue header)
    {
        var h = new JwtHeader
        {
            Alg = header.Get("alg") is StringValue alg ? alg.Value : "",
            Kid = header.Get("kid") is StringValue kid ? kid.Value : "",
            Cty = header.Get("cty") is StringValue cty ? cty.Value : "",
        };
        if (header.Get("crit") is ArrayValue crit)
        {
            foreach (var c in crit)
            {
                h.Crit.Add(c is StringValue s ? s.Value : c.ToString());
            }
        }

        return h;
    }

    /// <summary>RFC 7515 §4.1.1 "alg" must be present; §4.1.11 every "crit" parameter must be understood.</summary>
    public bool IsValid => Alg.Length > 0 && Crit.All(Known.Contains);
}
