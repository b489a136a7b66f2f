using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Tokens;

/// <summary>The constraints object of <c>io.jwt.decode_verify</c>: one key source (<c>cert</c> or <c>secret</c>),
/// and optional <c>alg</c>, <c>iss</c>, <c>aud</c> and <c>time</c> (nanoseconds; defaults to the evaluation's now).</summary>
internal sealed class JwtConstraints
{
    public List<JwtKey>? Keys { get; private set; }

    public string Secret { get; private set; } = "";

    public string Alg { get; private set; } = "";

    public string Iss { get; private set; } = "";

    public string Aud { get; private set; } = "";

    public double Time { get; private set; }

    public static JwtConstraints Parse(ObjectValue o, long nowNanoseconds)
    {
        var c = new JwtConstraints { Time = nowNanoseconds };
        foreach (var (k, v) in o)
        {
            var name = k is StringValue ks ? ks.Value : k.ToString();
            var s = v is StringValue sv ? sv.Value : null;
            switch (name)
            {
                case "cert":
                    c.Keys = JwtKey.FromCertificateOrJwk(s ?? throw new RegoBuiltinException("cert constraint must be a string"));
                    break;
                case "secret":
                    c.Secret = s ?? throw new RegoBuiltinException("secret constraint must be a string");
                    break;
                case "alg":
                    c.Alg = s ?? "";
                    break;
                case "iss":
                    c.Iss = s ?? "";
                    break;
                case "aud":
                    c.Aud = s ?? "";
                    break;
                case "time":
                    c.Time = v is NumberValue n ? n.ToDouble() : throw new RegoBuiltinException("token time constraint: must be a number");
                    break;
                default:
                    throw new RegoBuiltinException("unknown token validation constraint: " + name);
            }
        }

        var sources = (c.Keys is not null ? 1 : 0) + (c.Secret.Length > 0 ? 1 : 0);
        if (sources > 1)
        {
            throw new RegoBuiltinException("duplicate key constraints");
        }

        if (sources < 1)
        {
            throw new RegoBuiltinException("no key constraint");
        }

        return c;
    }

    /// <summary>Checks the signature; a secret used with an asymmetric algorithm (or the reverse) is an error.</summary>
    public bool Verify(JwtHeader header, byte[] input, byte[] signature)
    {
        var algorithm = JwsAlgorithm.Find(header.Alg) ?? throw new RegoBuiltinException("unknown JWS algorithm: " + header.Alg);
        if (Keys is not null)
        {
            if (header.Kid.Length > 0 && Keys.FirstOrDefault(k => k.Kid == header.Kid) is { } byKid)
            {
                return algorithm.Verify(byKid, input, signature) == JwsCheck.Verified;
            }

            return Keys.Any(k => (k.Alg.Length == 0 || k.Alg == header.Alg) && algorithm.Verify(k, input, signature) == JwsCheck.Verified);
        }

        return algorithm.Verify(new JwtKey { Secret = Encoding.UTF8.GetBytes(Secret) }, input, signature) switch
        {
            JwsCheck.Verified => true,
            JwsCheck.NotVerified => false,
            _ => throw new RegoBuiltinException("incorrect public key type"),
        };
    }

    // RFC 7519 §4.1.1 iss, §4.1.3 aud, §4.1.4 exp, §4.1.5 nbf.
    public bool ClaimsValid(ObjectValue claims)
    {
        if (Iss.Length > 0 && (claims.Get("iss") is not StringValue iss || iss.Value != Iss))
        {
            return false;
        }

        if (claims.Get("aud") is { } aud)
        {
            var ok = aud switch
            {
                StringValue s => s.Value == Aud,
                ArrayValue list => list.Items.ToArray().Any(e => e is StringValue es && es.Value == Aud),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        else if (Aud.Length > 0)
        {
            return false;
        }

        var now = NumberValue.Create(Time / 1e9);
        if (claims.Get("exp") is { } exp)
        {
            if (exp is not NumberValue expN)
            {
                throw new RegoBuiltinException("exp value must be a number");
            }

            if (NumberValue.Compare(now, expN) >= 0)
            {
                return false;
            }
        }

        if (claims.Get("nbf") is { } nbf)
        {
            if (nbf is not NumberValue nbfN)
            {
                throw new RegoBuiltinException("nbf value must be a number");
            }

            if (NumberValue.Compare(now, nbfN) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
