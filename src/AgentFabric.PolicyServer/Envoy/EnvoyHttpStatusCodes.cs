namespace AgentFabric.PolicyServer.Envoy;

/// <summary>The HTTP status codes OPA-Envoy accepts for <c>http_status</c>: those Go's <c>net/http.StatusText</c>
/// names (the IANA registry's assigned codes, RFC 9110 §15, plus 418).</summary>
internal static class EnvoyHttpStatusCodes
{
    private static readonly HashSet<int> Known =
    [
        100, 101, 102, 103,
        200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
        300, 301, 302, 303, 304, 305, 307, 308,
        400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418,
        421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
        500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
    ];

    /// <summary>Whether <paramref name="code"/> is a named HTTP status.</summary>
    public static bool IsKnown(int code) => Known.Contains(code);
}
