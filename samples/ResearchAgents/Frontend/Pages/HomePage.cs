using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using ResearchAgents.Hosting.Trail;

namespace ResearchAgents.Frontend.Pages;

/// <summary>
/// The frontend's one page, server-rendered: signed out, a "Sign in" link; signed in, the person's name, the question
/// form, the denied-call demo and "Sign out"; after a call, the answer (<c>#answer</c>) and the trail (<c>#trail</c>,
/// one <c>tr.hop[data-decision]</c> per hop). Plain HTML with labels and table headers for screen readers, no scripts
/// and nothing loaded from elsewhere.
/// </summary>
public static class HomePage
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string Render(string? user, AntiforgeryTokenSet? tokens, ResearchOutcome? outcome, string? error)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Research agents · AgentFabric</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<header><h1>Research agents</h1><p class=\"lede\">Three agents with SPIFFE identities: the frontend calls the ")
            .Append("researcher, the researcher calls the writer. Every hop is mutual TLS, carries your token exchanged at the edge, ")
            .Append("and is decided by Rego.</p></header>\n<main>\n");
        if (error is not null)
        {
            page.Append("<p class=\"error\" role=\"alert\">").Append(Html.Encode(error)).Append("</p>\n");
        }

        if (user is null || tokens is null)
        {
            page.Append("<section aria-labelledby=\"signin-heading\"><h2 id=\"signin-heading\">Welcome</h2>")
                .Append("<p>Sign in at the edge to ask the agents a question.</p>")
                .Append("<p><a class=\"button\" href=\"/signin\">Sign in</a></p></section>\n");
        }
        else
        {
            SignedIn(page, user, tokens, outcome);
        }

        page.Append("</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static void SignedIn(StringBuilder page, string user, AntiforgeryTokenSet tokens, ResearchOutcome? outcome)
    {
        var antiforgery = $"<input type=\"hidden\" name=\"{Html.Encode(tokens.FormFieldName)}\" value=\"{Html.Encode(tokens.RequestToken ?? "")}\">";
        page.Append("<section class=\"who\" aria-label=\"Account\"><p>Signed in as <strong id=\"user\">").Append(Html.Encode(user)).Append("</strong></p>")
            .Append("<form method=\"post\" action=\"/signout\">").Append(antiforgery).Append("<button type=\"submit\" class=\"quiet\">Sign out</button></form></section>\n")
            .Append("<section aria-labelledby=\"ask-heading\"><h2 id=\"ask-heading\">Ask</h2>")
            .Append("<form method=\"post\" action=\"/ask\">").Append(antiforgery)
            .Append("<label for=\"question\">Research question</label>")
            .Append("<textarea id=\"question\" name=\"question\" rows=\"3\" maxlength=\"").Append(ResearchCalls.MaxQuestionLength).Append("\" required>")
            .Append(Html.Encode(outcome?.Question ?? "")).Append("</textarea>")
            .Append("<button type=\"submit\">Ask</button></form>")
            .Append("<form method=\"post\" action=\"/denied\" class=\"denied-demo\">").Append(antiforgery)
            .Append("<button type=\"submit\" class=\"secondary\">Try a denied call (frontend → writer)</button></form></section>\n");
        if (outcome is not null)
        {
            Outcome(page, outcome);
        }
    }

    private static void Outcome(StringBuilder page, ResearchOutcome outcome)
    {
        page.Append("<section aria-labelledby=\"result-heading\"><h2 id=\"result-heading\">Result</h2>");
        if (outcome.Message is not null)
        {
            page.Append("<p id=\"outcome\" role=\"status\" class=\"").Append(outcome.Denied ? "denied" : "note").Append("\">")
                .Append(Html.Encode(outcome.Message)).Append("</p>");
        }

        if (outcome.Answer is not null)
        {
            page.Append("<h3>Answer</h3><p id=\"answer\">").Append(Html.Encode(outcome.Answer)).Append("</p>");
        }

        page.Append("<h3 id=\"trail-heading\">Trail</h3><div class=\"scroll\"><table id=\"trail\" aria-labelledby=\"trail-heading\"><thead><tr>")
            .Append("<th scope=\"col\">Caller</th><th scope=\"col\">Callee</th><th scope=\"col\">User</th><th scope=\"col\">Delegation chain</th>")
            .Append("<th scope=\"col\">Decision</th><th scope=\"col\">Decision id</th><th scope=\"col\">Policy latency</th><th scope=\"col\">Status</th>")
            .Append("</tr></thead><tbody>");
        foreach (var hop in outcome.Trail)
        {
            page.Append("<tr class=\"hop\" data-decision=\"").Append(Html.Encode(hop.Decision)).Append("\">")
                .Append(Cell(Short(hop.Caller), hop.Caller)).Append(Cell(Short(hop.Callee), hop.Callee))
                .Append(Cell(hop.User ?? "—", null))
                .Append(hop.Delegation.Count == 0 ? Cell("—", null) : Cell(string.Join(" ← ", hop.Delegation.Select(Short)), string.Join(" ← ", hop.Delegation)))
                .Append("<td><span class=\"badge ").Append(Html.Encode(hop.Decision)).Append("\">").Append(Html.Encode(hop.Decision)).Append("</span>")
                .Append(hop.Detail is null ? "" : "<br><small>" + Html.Encode(hop.Detail) + "</small>").Append("</td>")
                .Append("<td class=\"decision-id\"><code>").Append(Html.Encode(hop.DecisionId ?? "—")).Append("</code></td>")
                .Append(Cell(hop.PolicyLatencyMs is { } ms ? ms.ToString("0.###", CultureInfo.InvariantCulture) + " ms" : "—", null))
                .Append(Cell(hop.Status == 0 ? "—" : hop.Status.ToString(CultureInfo.InvariantCulture), null))
                .Append("</tr>");
        }

        page.Append("</tbody></table></div></section>\n");
    }

    private static string Cell(string text, string? title) =>
        title is null || title == text
            ? "<td>" + Html.Encode(text) + "</td>"
            : "<td><span title=\"" + Html.Encode(title) + "\">" + Html.Encode(text) + "</span></td>";

    // spiffe://example.org/ns/agents/sa/writer → writer; the full ID stays in the title.
    private static string Short(string id) =>
        id.StartsWith("spiffe://", StringComparison.Ordinal) ? id[(id.LastIndexOf('/') + 1)..] : id;

    private const string Style = """
        :root{color-scheme:light dark;--fg:#1b1f24;--bg:#f6f7f9;--card:#fff;--line:#d8dde3;--accent:#0b5cad;--ok:#116329;--no:#a40e26}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e9ed;--bg:#14171b;--card:#1d2126;--line:#363c44;--accent:#6cb2ff;--ok:#56d364;--no:#ff7b8a}}
        body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
        header,main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem}
        h1{margin:.5rem 0 0}.lede{margin-top:.25rem;opacity:.85}
        section{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0}
        .who{display:flex;justify-content:space-between;align-items:center;gap:1rem}.who p{margin:0}
        label{display:block;font-weight:600;margin-bottom:.25rem}
        textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid var(--line);border-radius:.375rem;background:var(--bg);color:var(--fg)}
        button,.button{display:inline-block;margin-top:.5rem;padding:.5rem 1rem;font:inherit;border:0;border-radius:.375rem;background:var(--accent);color:#fff;text-decoration:none;cursor:pointer}
        button.secondary{background:transparent;color:var(--no);border:1px solid var(--no)}button.quiet{background:transparent;color:var(--accent);border:1px solid var(--line)}
        button:focus-visible,.button:focus-visible,textarea:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
        .denied-demo{margin-top:.5rem}.scroll{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
        .badge{font-weight:700;text-transform:uppercase;font-size:.8rem}.badge.allow{color:var(--ok)}.badge.deny{color:var(--no)}
        .denied,.error{color:var(--no);font-weight:600}.note{font-weight:600}code{font-size:.8rem;word-break:break-all}
        #answer{white-space:pre-wrap}
        """;
}
