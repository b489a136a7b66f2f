using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.PolicyServer.Api;
using AgentFabric.PolicyServer.Hosting;

namespace AgentFabric.PolicyServer.Security;

/// <summary>Authenticates REST API clients and applies the write rule: with authentication on, every API needs a
/// listed token (or SPIFFE ID) and the write APIs (PUT/PATCH/DELETE of data and policies) need an admin one. This is
/// the documented, simpler stand-in for OPA's <c>--authorization=basic</c> (<c>data.system.authz.allow</c>), deny by
/// default. <c>/health</c>, <c>/live</c>, <c>/ready</c> and <c>/metrics</c> stay open for probes.
/// Rejections are OPA's 401 <c>unauthorized</c>.</summary>
internal sealed class ApiClientAuthenticator(PolicyServerOptions options, ClientSvidValidator? svids)
{
    private readonly byte[][] _readers = options.Tokens.Concat(options.AdminTokens).Select(Encoding.UTF8.GetBytes).ToArray();
    private readonly byte[][] _admins = options.AdminTokens.Select(Encoding.UTF8.GetBytes).ToArray();

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (options.Authentication == PolicyServerAuthentication.Off || IsProbe(context.Request.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var write = IsWrite(context.Request);
        var allowed = options.Authentication switch
        {
            PolicyServerAuthentication.Token => TokenAllowed(context.Request, write),
            _ => SpiffeIdAllowed(context, write),
        };
        if (!allowed)
        {
            await new OpaError(401, OpaError.Unauthorized, OpaError.UnauthorizedMessage).WriteAsync(context.Response).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path == "/live" || path == "/ready" || path == "/metrics";

    private static bool IsWrite(HttpRequest request) =>
        (HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method))
        && (request.Path.StartsWithSegments("/v1/data") || request.Path.StartsWithSegments("/v1/policies"));

    private bool TokenAllowed(HttpRequest request, bool write)
    {
        // RFC 6750 §2.1: "Bearer" is case-insensitive, one space, then the token.
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        var found = false;

        // Every listed token is compared (fixed-time each) so the answer's timing does not tell which one matched.
        foreach (var token in write ? _admins : _readers)
        {
            found |= CryptographicOperations.FixedTimeEquals(presented, token);
        }

        return found;
    }

    private bool SpiffeIdAllowed(HttpContext context, bool write)
    {
        if (svids?.Authenticate(context) is not { } id)
        {
            return false;
        }

        return write
            ? options.AdminSpiffeIds.Contains(id, StringComparer.Ordinal)
            : options.AllowedSpiffeIds.Count == 0 || options.AllowedSpiffeIds.Contains(id, StringComparer.Ordinal) || options.AdminSpiffeIds.Contains(id, StringComparer.Ordinal);
    }
}
