using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AgentFabric.Rego.Builtins.Net;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Aws;

/// <summary><c>providers.aws.sign_req(request, config, time_ns)</c>: adds AWS Signature Version 4 headers
/// (Authorization, host, x-amz-date, x-amz-content-sha256 for S3 and Glacier, x-amz-security-token with a session
/// token) to an http.send-style request object, signed at the given instant (the evaluation clock when the policy
/// passes <c>time.now_ns()</c>). See docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html.</summary>
internal static class AwsSignatureV4
{
    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    private static readonly string[] RequiredConfigKeys = ["aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"];

    // The request keys http.send accepts; sign_req rejects others the same way.
    private static readonly string[] RequestKeys =
    [
        "body", "cache", "caching_mode", "enable_redirect", "force_cache", "force_cache_duration_seconds", "force_json_decode",
        "force_yaml_decode", "headers", "max_retry_attempts", "method", "raise_error", "raw_body", "timeout",
        "tls_ca_cert", "tls_ca_cert_env_variable", "tls_ca_cert_file", "tls_client_cert", "tls_client_cert_env_variable",
        "tls_client_cert_file", "tls_client_key", "tls_client_key_env_variable", "tls_client_key_file",
        "tls_insecure_skip_verify", "tls_server_name", "url",
    ];

    // Headers a proxy may change on the way, so they are never signed.
    private static readonly string[] IgnoredHeaders = ["authorization", "user-agent", "x-amzn-trace-id"];

    public static Value SignRequest(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var request = BuiltinArgs.Object(a, 0);

        // OPA numbers the config operand 1 in its type error; kept for identical messages.
        var config = a[1] as ObjectValue ?? throw BuiltinArgs.TypeMismatch(0, a[1], "object");
        ValidateConfig(config);
        var timestamp = a[2] as NumberValue ?? throw BuiltinArgs.TypeMismatch(0, a[2], "number");
        // OPA reads time_ns with json.Number.Int64, so integer values written like -1e9 are rejected too.
        if (!timestamp.TryGetGoInt64(out var nanoseconds))
        {
            throw BuiltinArgs.OperandError(2, "could not convert time_ns value into a unix timestamp");
        }

        ValidateRequest(request);
        var headers = ObjectValue.Empty;
        if (request.Get("headers") is { } headersValue)
        {
            // OPA reports this one as "operand 0".
            headers = headersValue as ObjectValue ?? throw BuiltinArgs.OperandError(-1, $"must be object but got {headersValue.TypeName}");
        }

        var url = UriParts.Parse(Text(request.Get("url")));
        var method = Text(request.Get("method"));
        var body = Body(request);
        var disablePayloadSigning = false;
        if (config.Get("disable_payload_signing") is { } flag)
        {
            disablePayloadSigning = flag is BooleanValue b ? b.Value : throw BuiltinArgs.OperandError(1, "invalid value for 'disable_payload_signing' in AWS config");
        }

        var service = Text(config.Get("aws_service"));
        var credentials = new Credentials(
            Text(config.Get("aws_access_key")),
            Text(config.Get("aws_secret_access_key")),
            Text(config.Get("aws_region")),
            Text(config.Get("aws_session_token")));

        var original = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in headers)
        {
            original[Text(k)] = Text(v);
        }

        var time = GoTime.FromUnixNanoseconds(nanoseconds, GoZone.Utc);
        var (authorization, awsHeaders) = Sign(original, method, url, body, service, credentials, time, disablePayloadSigning);

        var signed = new ObjectValue.Builder();
        foreach (var (k, v) in original)
        {
            signed.Set(k, StringValue.Create(v));
        }

        signed.Set("Authorization", StringValue.Create(authorization));
        foreach (var (k, v) in awsHeaders)
        {
            signed.Set(k, StringValue.Create(v));
        }

        return request.With(StringValue.Create("headers"), signed.ToValue());
    }

    private static (string Authorization, SortedDictionary<string, string> AwsHeaders) Sign(
        SortedDictionary<string, string> headers, string method, UriParts url, byte[] body, string service, Credentials credentials, GoTime time, bool disablePayloadSigning)
    {
        var payloadHash = disablePayloadSigning ? UnsignedPayload : Hex(SHA256.HashData(body));
        var date = GoTimeLayout.Format(time, "20060102");
        var dateTime = GoTimeLayout.Format(time, "20060102T150405Z");

        var awsHeaders = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = url.Host,
            ["x-amz-date"] = dateTime,
        };
        if (service is "s3" or "glacier")
        {
            awsHeaders["x-amz-content-sha256"] = payloadHash;
        }

        if (credentials.SessionToken.Length > 0)
        {
            awsHeaders["x-amz-security-token"] = credentials.SessionToken;
        }

        // The request's own headers are signed too (lower-cased), and win over the computed ones of the same name.
        var toSign = new SortedDictionary<string, string>(awsHeaders, StringComparer.Ordinal);
        foreach (var (k, v) in headers)
        {
            var lower = k.ToLowerInvariant();
            if (Array.IndexOf(IgnoredHeaders, lower) < 0)
            {
                toSign[lower] = v;
            }
        }

        // Canonical request: method, path, query, headers, signed header list, payload hash.
        var canonical = new StringBuilder();
        canonical.Append(method).Append('\n');
        canonical.Append(url.EscapedPath).Append('\n');
        canonical.Append(url.RawQuery).Append('\n');
        foreach (var (k, v) in toSign)
        {
            canonical.Append(k).Append(':').Append(v).Append('\n');
        }

        canonical.Append('\n');
        var signedHeaders = string.Join(";", toSign.Keys);
        canonical.Append(signedHeaders).Append('\n');
        canonical.Append(payloadHash);

        var scope = $"{date}/{credentials.Region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{dateTime}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretKey), date);
        key = Hmac(key, credentials.Region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));

        var authorization = $"AWS4-HMAC-SHA256 Credential={credentials.AccessKey}/{scope},SignedHeaders={signedHeaders},Signature={signature}";
        return (authorization, awsHeaders);
    }

    private static void ValidateConfig(ObjectValue config)
    {
        var missing = RequiredConfigKeys.Where(k => !config.TryGetValue(k, out _)).ToArray();
        if (missing.Length > 0)
        {
            throw BuiltinArgs.OperandError(1, $"missing required AWS config parameters(s): {KeyList(missing)}");
        }

        var invalid = RequiredConfigKeys.Where(k => config.Get(k) is not StringValue).ToArray();
        if (invalid.Length > 0)
        {
            throw BuiltinArgs.OperandError(1, $"invalid values for required AWS config parameters(s): {KeyList(invalid)}");
        }
    }

    private static void ValidateRequest(ObjectValue request)
    {
        var unknown = new SetValue.Builder();
        foreach (var key in request.Keys)
        {
            if (key is not StringValue s || Array.IndexOf(RequestKeys, s.Value) < 0)
            {
                unknown.Add(key);
            }
        }

        if (unknown.Count > 0)
        {
            throw BuiltinArgs.OperandError(0, $"invalid request parameters(s): {unknown.ToValue()}");
        }

        var missing = new[] { "method", "url" }.Where(k => !request.TryGetValue(k, out _)).ToArray();
        if (missing.Length > 0)
        {
            throw BuiltinArgs.OperandError(0, $"missing required request parameters(s): {KeyList(missing)}");
        }

        var invalid = new[] { "method", "url" }.Where(k => request.Get(k) is not StringValue).ToArray();
        if (invalid.Length > 0)
        {
            throw BuiltinArgs.OperandError(0, $"invalid values for required request parameters(s): {KeyList(invalid)}");
        }
    }

    // raw_body as given; otherwise body as JSON the way Go's encoding/json writes it; otherwise empty.
    private static byte[] Body(ObjectValue request)
    {
        if (request.Get("raw_body") is { } raw)
        {
            return Encoding.UTF8.GetBytes(Text(raw));
        }

        if (request.Get("body") is { } body)
        {
            var json = body.ToJson()
                .Replace("<", "\\u003c", StringComparison.Ordinal)
                .Replace(">", "\\u003e", StringComparison.Ordinal)
                .Replace("&", "\\u0026", StringComparison.Ordinal)
                .Replace("\u2028", "\\u2028", StringComparison.Ordinal)
                .Replace("\u2029", "\\u2029", StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes(json);
        }

        return [];
    }

    private static string KeyList(IEnumerable<string> keys) => SetValue.CreateRange(keys.Select(k => (Value)StringValue.Create(k))).ToString();

    // Non-string values read as "" (as OPA's stringFromTerm).
    private static string Text(Value? v) => v is StringValue s ? s.Value : string.Empty;

    private static byte[] Hmac(byte[] key, string message) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private sealed record Credentials(string AccessKey, string SecretKey, string Region, string SessionToken);
}
