using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;


namespace AgentFabric.Rego.Builtins.Tokens;

internal static partial class TokensBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var anyObject = RegoType.ObjectOf(RegoType.Any, RegoType.Any);
        var stringObject = RegoType.ObjectOf(RegoType.String, RegoType.Any);
        r.Register("io.jwt.decode", [RegoType.String], RegoType.Tuple(anyObject, anyObject, RegoType.String), JwtDecode);
        r.Register("io.jwt.decode_verify", [RegoType.String, stringObject], RegoType.Tuple(RegoType.Boolean, anyObject, anyObject), JwtDecodeVerify, BuiltinFlags.Nondeterministic);
        foreach (var alg in (ReadOnlySpan<string>)["rs256", "rs384", "rs512", "ps256", "ps384", "ps512", "es256", "es384", "es512", "eddsa"])
        {
            var algorithm = JwsAlgorithm.Find(alg == "eddsa" ? "EdDSA" : alg.ToUpperInvariant())!;
            r.Register("io.jwt.verify_" + alg, [RegoType.String, RegoType.String], RegoType.Boolean,
                (_, a) => BooleanValue.Create(JwtVerifyWithKeys(a, algorithm)));
        }

        foreach (var alg in (ReadOnlySpan<string>)["hs256", "hs384", "hs512"])
        {
            var algorithm = JwsAlgorithm.Find(alg.ToUpperInvariant())!;
            r.Register("io.jwt.verify_" + alg, [RegoType.String, RegoType.String], RegoType.Boolean, (_, a) =>
            {
                var token = Jwt.Split(BuiltinArgs.String(a, 0));
                var secret = System.Text.Encoding.UTF8.GetBytes(BuiltinArgs.String(a, 1));
                var signature = token.DecodeSignature();
                return BooleanValue.Create(algorithm.Verify(new JwtKey { Secret = secret }, token.SigningInput, signature) == JwsCheck.Verified);
            });
        }

        r.Register("io.jwt.encode_sign", [stringObject, stringObject, stringObject], RegoType.String, static (_, a) =>
        {
            var header = BuiltinArgs.Object(a, 0);
            var payload = BuiltinArgs.Object(a, 1);
            var key = BuiltinArgs.Object(a, 2);
            return StringValue.Create(JwtEncoder.Sign(EncodingGoJson.Marshal(header), EncodingGoJson.Marshal(payload), key.ToJson()));
        }, BuiltinFlags.Nondeterministic);
        r.Register("io.jwt.encode_sign_raw", [RegoType.String, RegoType.String, RegoType.String], RegoType.String, static (_, a) =>
            StringValue.Create(JwtEncoder.Sign(BuiltinArgs.String(a, 0), BuiltinArgs.String(a, 1), BuiltinArgs.String(a, 2))), BuiltinFlags.Nondeterministic);
    }

    // RFC 7519 §7.2 without signature validation; a nested JWT ("cty": "JWT", §5.2) is decoded recursively, its
    // quoted form (as jwt.io produces) unquoted first.
    private static Value JwtDecode(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var text = BuiltinArgs.String(a, 0);
        while (true)
        {
            var token = Jwt.Split(text);
            var header = token.DecodeHeader();
            var payload = token.DecodePayload();
            if (header.Get("cty") is StringValue { Value: "JWT" })
            {
                text = payload.Trim('"', '\'');
                continue;
            }

            var claims = Jwt.JsonObject(payload);
            var signature = Convert.ToHexStringLower(token.DecodeSignature());
            return ArrayValue.Create(header, claims, StringValue.Create(signature));
        }
    }

    // The verify_* builtins for asymmetric algorithms: a key whose "kid" matches the token's decides alone;
    // otherwise any key without an "alg", or with the token's, may verify it.
    private static bool JwtVerifyWithKeys(ReadOnlySpan<Value> a, JwsAlgorithm algorithm)
    {
        var token = Jwt.Split(BuiltinArgs.String(a, 0));
        var keys = JwtKey.FromCertificateOrJwk(BuiltinArgs.String(a, 1));
        var signature = token.DecodeSignature();
        var header = JwtHeader.Parse(token.DecodeHeader());
        var input = token.SigningInput;
        if (header.Kid.Length > 0 && keys.FirstOrDefault(k => k.Kid == header.Kid) is { } byKid)
        {
            return algorithm.Verify(byKid, input, signature) == JwsCheck.Verified;
        }

        foreach (var key in keys)
        {
            if ((key.Alg.Length == 0 || key.Alg == header.Alg) && algorithm.Verify(key, input, signature) == JwsCheck.Verified)
            {
                return true;
            }
        }

        return false;
    }
}
