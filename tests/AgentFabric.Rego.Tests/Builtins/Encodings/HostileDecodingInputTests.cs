using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Encodings;

/// <summary>Hostile input reaching a decoding builtin, end to end through the evaluator, the comparer, the hasher and
/// the printer: every outcome is a value, undefined, or OPA's error for the builtin; never an undocumented exception,
/// a stack overflow or a hang. Limits (a depth) halt the evaluation even without strict builtin errors.</summary>
public class HostileDecodingInputTests
{
    private static readonly RegoEngine Engine = new();

    private static string Deep(string open, int depth, string close = "") =>
        string.Concat(Enumerable.Repeat(open, depth)) + string.Concat(Enumerable.Repeat(close, depth));

    private static readonly string Jwt1Mb = new string('A', 1 << 20) + "." + new string('B', 1 << 20) + ".c2ln";

    public static TheoryData<string, string, string> Cases => new()
    {
        // JSON: Go's encoding/json depth cap, scaled to the engine's 1,024 (the comparer, hasher and printer recurse).
        { "json.unmarshal(input.s)", Deep("[", 100_000), "error: t.rego:3: eval_builtin_error: json.unmarshal: exceeded max depth of 1024" },
        { "json.unmarshal(input.s)", Deep("{\"a\":", 1_025, "}"), "error: t.rego:3: eval_builtin_error: json.unmarshal: exceeded max depth of 1024" },
        { "count(json.marshal({json.unmarshal(input.s), json.unmarshal(input.s)}))", Deep("[", 1_024, "]"), "value: 2050" },
        { "json.unmarshal(input.s)", "\"a\\ud800b\\udc00\\ud83d\\ude00\"", "value: \"a\uFFFDb\uFFFD\\uD83D\\uDE00\"" },
        { "json.unmarshal(input.s)", "{\"\\ud800\": 1}", "value: {\"\uFFFD\":1}" },
        // Numbers beyond the engine's range (OPA keeps them as text): a limit, never a FormatException.
        { "json.unmarshal(input.s)", "1e40001", "error: t.rego:3: eval_builtin_error: json.unmarshal: number out of range: 1e40001" },
        { "json.unmarshal(input.s)", "{\"a\": [1, 2.1e5005]}", "error: t.rego:3: eval_builtin_error: json.unmarshal: number out of range: 2.1e5005" },
        { "json.unmarshal(input.s)", "-" + new string('9', 100) + "e99999", "error: t.rego:3: eval_builtin_error: json.unmarshal: number out of range: -" + new string('9', 63) + "..." },
        { "json.is_valid(input.s)", "1e40001", "value: true" },
        { "json.is_valid(input.s)", Deep("[", 100_000), "value: false" },
        { "json.is_valid(input.s)", "[1,]", "value: false" },
        // YAML: complex keys are go-yaml's "invalid map key" (their JSON text doubled per level: ? ? ? … hung).
        { "yaml.unmarshal(input.s)", Deep("? ", 40), "error: t.rego:3: eval_builtin_error: yaml.unmarshal: yaml: invalid map key: map[interface {}]interface {}" },
        { "yaml.unmarshal(input.s)", "? [a]\n: 1", "error: t.rego:3: eval_builtin_error: yaml.unmarshal: yaml: invalid map key: []interface {}" },
        { "yaml.is_valid(input.s)", Deep("? ", 40), "value: false" },
        { "yaml.unmarshal(input.s)", Deep("!!map", 30) + "]", "error: t.rego:3: eval_builtin_error: yaml.unmarshal: yaml: Global tags must be valid URIs." },
        { "yaml.unmarshal(input.s)", "!<%> x", "error: t.rego:3: eval_builtin_error: yaml.unmarshal: yaml: line 1: did not find URI escaped octet" },
        { "yaml.unmarshal(input.s)", Deep("[", 100_000), "error: t.rego:3: eval_builtin_error: yaml.unmarshal: yaml: exceeded max depth of 1024" },
        // Base64, hex, URL queries: Go's messages, at the first bad byte, whatever the size.
        { "base64.decode(input.s)", new string('*', 1 << 20), "error: t.rego:3: eval_builtin_error: base64.decode: illegal base64 data at input byte 0" },
        { "base64url.decode(input.s)", "A", "error: t.rego:3: eval_builtin_error: base64url.decode: illegal base64url string: A" },
        { "hex.decode(input.s)", new string('0', (1 << 20) + 1), "error: t.rego:3: eval_builtin_error: hex.decode: encoding/hex: odd length hex string" },
        { "urlquery.decode(input.s)", "%", "error: t.rego:3: eval_builtin_error: urlquery.decode: invalid URL escape \"%\"" },
        { "urlquery.decode_object(input.s)", "a=%G0", "error: t.rego:3: eval_builtin_error: urlquery.decode_object: invalid URL escape \"%G0\"" },
        // JWTs: malformed or giant segments.
        { "io.jwt.decode(input.s)", "a.b", "error: t.rego:3: eval_builtin_error: io.jwt.decode: encoded JWT must have 3 sections, found 2" },
        { "io.jwt.decode(input.s)", Jwt1Mb, "error: t.rego:3: eval_builtin_error: io.jwt.decode: bad JWT header: invalid JSON: '0x00' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0." },
        { "io.jwt.decode(input.s)", "e30.e30.", "value: [{},{},\"\"]" },
        { "io.jwt.decode(input.s)", "eyJhbGciOiJIUzI1NiJ9.\u00ff\u00fe.c2ln", "error: t.rego:3: eval_builtin_error: io.jwt.decode: JWT payload had invalid encoding: illegal base64 data at input byte 0" },
        { "io.jwt.decode_verify(input.s, {\"secret\": \"s\"})", Jwt1Mb, "error: t.rego:3: eval_builtin_error: io.jwt.decode_verify: bad JWT header: invalid JSON: '0x00' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0." },
        { "io.jwt.decode_verify(input.s, {\"cert\": \"garbage\"})", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "error: t.rego:3: eval_builtin_error: io.jwt.decode_verify: failed to parse a JWK key (set): 'g' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0." },
        { "io.jwt.verify_rs256(input.s, \"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\")", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "error: t.rego:3: eval_builtin_error: io.jwt.verify_rs256: failed to parse a PEM certificate: ASN1 corrupted data." },
        { "io.jwt.verify_es256(input.s, \"{\\\"kty\\\":\\\"EC\\\"}\")", "eyJhbGciOiJFUzI1NiJ9.e30.c2ln", "error: t.rego:3: eval_builtin_error: io.jwt.verify_es256: failed to parse a JWK key (set): unsupported curve " },
        { "io.jwt.verify_hs256(input.s, \"k\")", "a.b.c.d", "error: t.rego:3: eval_builtin_error: io.jwt.verify_hs256: encoded JWT must have 3 sections, found 4" },
        // X.509: garbage DER and PEM.
        { "crypto.x509.parse_certificates(input.s)", "MIIBAAAA", "error: t.rego:3: eval_builtin_error: crypto.x509.parse_certificates: x509: malformed certificate" },
        { "crypto.x509.parse_certificates(input.s)", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "error: t.rego:3: eval_builtin_error: crypto.x509.parse_certificates: x509: malformed certificate" },
        { "crypto.x509.parse_and_verify_certificates(input.s)", "MIIBAAAA", "value: [false,[]]" },
        { "crypto.x509.parse_rsa_private_key(input.s)", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n", "error: t.rego:3: eval_builtin_error: crypto.x509.parse_rsa_private_key: failed to parse RSA PRIVATE KEY: ASN1 corrupted data." },
        { "crypto.x509.parse_keypair(input.s, input.s)", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "error: t.rego:3: eval_builtin_error: crypto.x509.parse_keypair: tls: failed to find any PEM data in key input" },
        { "crypto.x509.parse_certificate_request(input.s)", "MIIBAAAA", "error: t.rego:3: eval_builtin_error: crypto.x509.parse_certificate_request: asn1: structure error: The encoded length exceeds the number of bytes remaining in the input buffer." },
        { "crypto.parse_private_keys(input.s)", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", "error: t.rego:3: eval_builtin_error: crypto.parse_private_keys: failed to parse PRIVATE KEY: The ASN.1 value is invalid." },
        // GraphQL: deep queries and schemas.
        { "graphql.parse_query(input.s)", Deep("{a", 100_000), "error: t.rego:3: eval_builtin_error: graphql.parse_query: exceeded max nesting depth of 500 in GraphQL string at location 1:1001" },
        { "graphql.parse_schema(input.s)", "type Q { a: " + Deep("[", 100_000), "error: t.rego:3: eval_builtin_error: graphql.parse_schema: exceeded max nesting depth of 500 in GraphQL string at location 1:513" },
        { "graphql.is_valid(input.s, \"type Query { a: Int }\")", Deep("{a", 100_000), "value: false" },
        // Templates, units, times.
        { "strings.render_template(input.s, {})", Deep("{{", 10_000), "error: t.rego:3: eval_builtin_error: strings.render_template: template: template:1: unclosed action" },
        { "units.parse(input.s)", "1e999999999K", "error: t.rego:3: eval_builtin_error: units.parse: exponent too large" },
        { "units.parse_bytes(input.s)", new string('9', 1_000) + "KiB", "value: 10239999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999998976" },
        { "time.parse_rfc3339_ns(input.s)", "99999-01-01T00:00:00Z", "error: t.rego:3: eval_builtin_error: time.parse_rfc3339_ns: parsing time \"99999-01-01T00:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"9-01-01T00:00:00Z\" as \"-\"" },
        { "time.parse_duration_ns(input.s)", "9999999999999999999h", "error: t.rego:3: eval_builtin_error: time.parse_duration_ns: time: invalid duration \"9999999999999999999h\"" },
        { "time.parse_ns(\"2006-01-02\", input.s)", new string('2', 40), "error: t.rego:3: eval_builtin_error: time.parse_ns: parsing time \"2222222222222222222222222222222222222222\" as \"2006-01-02\": cannot parse \"222222222222222222222222222222222222\" as \"-\"" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AHostileInputHasOpasOutcome(string expression, string input, string expected)
    {
        var policy = $"package t\n\nr := {expression}\n";
        var query = Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", policy)]), "data.t.r");
        var doc = new ObjectValue.Builder();
        doc.Set("s", StringValue.Create(input));

        string outcome;
        try
        {
            var result = query.Evaluate(doc.ToValue(), default, new EvaluationSettings { StrictBuiltinErrors = true });
            outcome = result.Value is { } v ? "value: " + v.ToJson() : "undefined";
        }
        catch (RegoEvaluationException e)
        {
            outcome = "error: " + e.Message;
        }

        Assert.Equal(expected, outcome);
    }
}
