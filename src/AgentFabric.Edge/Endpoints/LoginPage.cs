using System.Text.Encodings.Web;

namespace AgentFabric.Edge.Endpoints;

/// <summary>
/// The sign-in page: one server-rendered HTML document, no scripts and no external assets. Accessible: every field
/// has a label, the error is announced (role="alert") and linked to the fields (aria-describedby).
/// </summary>
internal static class LoginPage
{
    public static string Render(string returnUrl, string antiforgeryField, string antiforgeryToken, string? userName, string? error,
        IReadOnlyList<Federation.UpstreamProvider> upstreams)
    {
        var html = HtmlEncoder.Default;
        var hidden = $"""
            <input type="hidden" name="{html.Encode(antiforgeryField)}" value="{html.Encode(antiforgeryToken)}">
            <input type="hidden" name="returnUrl" value="{html.Encode(returnUrl)}">
            """;
        // One small form per upstream provider: a POST with antiforgery, so another site cannot start a sign-in.
        var upstreamForms = upstreams.Count == 0 ? "" : "<h2>Or sign in with</h2>\n" + string.Concat(upstreams.Select(u => $"""
            <form method="post" action="/account/upstream/{html.Encode(u.Name)}">
            {hidden}
            <button type="submit" class="upstream">Sign in with {html.Encode(u.Label)}</button>
            </form>

            """));
        var describedBy = error is null ? "" : " aria-describedby=\"login-error\" aria-invalid=\"true\"";
        var errorBlock = error is null ? "" : $"<p id=\"login-error\" role=\"alert\" class=\"error\">{html.Encode(error)}</p>";
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in - AgentFabric</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem;color:#111;background:#fff}
            label{display:block;margin-top:1rem;font-weight:600}
            input{width:100%;padding:.5rem;font-size:1rem;border:1px solid #555;border-radius:4px;box-sizing:border-box}
            input:focus,button:focus{outline:3px solid #1a5fb4;outline-offset:2px}
            button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;background:#1a5fb4;color:#fff;border:0;border-radius:4px}
            .error{color:#a51d2d;font-weight:600}
            h2{font-size:1rem;margin-top:2rem}
            button.upstream{display:block;width:100%;margin-top:.75rem;background:#fff;color:#1a5fb4;border:1px solid #1a5fb4}
            </style>
            </head>
            <body>
            <main>
            <h1>Sign in</h1>
            {{errorBlock}}
            <form method="post" action="/account/login">
            {{hidden}}
            <label for="username">User name</label>
            <input id="username" name="username" autocomplete="username" required value="{{html.Encode(userName ?? "")}}"{{describedBy}}>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required{{describedBy}}>
            <button type="submit">Sign in</button>
            </form>
            {{upstreamForms}}
            </main>
            </body>
            </html>
            """;
    }
}
