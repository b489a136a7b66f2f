using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace AgentFabric.Edge.Endpoints;

/// <summary>The page shown when a sign-in through an upstream provider cannot finish: what went wrong, in words a
/// person can act on, and a way back to the sign-in page. Same rules as the login page: no scripts, no external
/// assets, the message announced (role="alert").</summary>
internal static class SignInProblemPage
{
    public static IResult Result(HttpContext http, string message, int status, string? returnUrl = null)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Frame-Options"] = "DENY";
        http.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        return Results.Content(Render(message, returnUrl), "text/html; charset=utf-8", statusCode: status);
    }

    public static string Render(string message, string? returnUrl)
    {
        var html = HtmlEncoder.Default;
        var back = "/" + Hosting.EdgeEndpoints.Login + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign-in problem - AgentFabric</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem;color:#111;background:#fff}
            .error{color:#a51d2d;font-weight:600}
            a:focus{outline:3px solid #1a5fb4;outline-offset:2px}
            </style>
            </head>
            <body>
            <main>
            <h1>Sign-in problem</h1>
            <p id="problem" role="alert" class="error">{{html.Encode(message)}}</p>
            <p><a href="{{html.Encode(back)}}">Back to sign in</a></p>
            </main>
            </body>
            </html>
            """;
    }
}
