using AgentFabric.Rego.Values;


namespace AgentFabric.Rego.Builtins.Tokens;

internal static partial class TokensBuiltins
{
    private static readonly Value JwtUnverified = ArrayValue.Create(BooleanValue.False, ObjectValue.Empty, ObjectValue.Empty);

    // io.jwt.decode_verify: RFC 7519 §7.2 with signature validation and the registered claim checks of §4.1.
    private static Value JwtDecodeVerify(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var text = BuiltinArgs.String(a, 0);
        var constraints = JwtConstraints.Parse(BuiltinArgs.Object(a, 1), context.NowNanoseconds);
        ObjectValue header;
        ObjectValue claims;
        while (true)
        {
            var token = Jwt.Split(text);
            header = token.DecodeHeader();
            var parsed = JwtHeader.Parse(header);
            if (!parsed.IsValid || (constraints.Alg.Length > 0 && constraints.Alg != parsed.Alg))
            {
                return JwtUnverified;
            }

            var signature = token.DecodeSignature();
            if (!constraints.Verify(parsed, token.SigningInput, signature))
            {
                return JwtUnverified;
            }

            var payload = token.DecodePayload();

            // §7.2 step 8: a nested JWT is validated in turn.
            if (parsed.Cty.Equals("JWT", StringComparison.OrdinalIgnoreCase))
            {
                text = payload;
                continue;
            }

            claims = Jwt.JsonObject(payload);
            break;
        }

        return constraints.ClaimsValid(claims) ? ArrayValue.Create(BooleanValue.True, header, claims) : JwtUnverified;
    }
}
