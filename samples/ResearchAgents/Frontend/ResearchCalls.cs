using System.Net.Http.Json;
using System.Text.Json;
using AgentFabric.AspNetCore;
using AgentFabric.Authorization;
using AgentFabric.Authorization.Input;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using ResearchAgents.Hosting;
using ResearchAgents.Hosting.Messages;
using ResearchAgents.Hosting.Trail;

namespace ResearchAgents.Frontend;

/// <summary>
/// The frontend's two calls. A question: the policy decides whether this person may ask (the first hop), then the
/// researcher is called over SPIFFE mTLS with the person's token exchanged at the edge for the researcher's audience
/// (its answer carries the researcher's and the writer's hops). The denied demo: the frontend calls the writer
/// directly, with its SVID but no user token (the edge has no frontend → writer route to exchange one), and the
/// writer's policy refuses it with a 403 whose decision id goes in the trail.
/// </summary>
public sealed class ResearchCalls(IHttpClientFactory clients, IPolicyDecisionPoint policy, AgentSettings settings, TimeProvider time)
{
    public const string ResearcherClient = "researcher";
    public const string WriterClient = "writer";

    /// <summary>The longest question the form accepts.</summary>
    public const int MaxQuestionLength = 2000;

    /// <summary>The question the denied demo sends (the writer never reads it).</summary>
    public const string DirectQuestion = "Write an answer without the researcher.";

    /// <summary>Registers the two SPIFFE HttpClients (each checks the server's SPIFFE ID).</summary>
    public static IServiceCollection AddResearchCalls(IServiceCollection services, AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSpiffeHttpClient(ResearcherClient, settings.Ids.Researcher, o => o.RequireUserToken = true)
            .ConfigureHttpClient(c => c.BaseAddress = settings.ResearcherUrl);

        // No exchange: the edge has no route frontend → writer, and the point is to show the writer's own refusal.
        services.AddSpiffeHttpClient(WriterClient, settings.Ids.Writer, o => o.ExchangeUserToken = false)
            .ConfigureHttpClient(c => c.BaseAddress = settings.WriterUrl);
        services.AddSingleton<ResearchCalls>();
        return services;
    }

    /// <summary>Asks <paramref name="question"/> for <paramref name="user"/> (whose token subject is
    /// <paramref name="subject"/>) with the person's <paramref name="accessToken"/>.</summary>
    public async Task<ResearchOutcome> AskAsync(string question, string user, string? subject, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        question = question.Trim();
        if (question.Length is 0 or > MaxQuestionLength || question.Contains('\n', StringComparison.Ordinal))
        {
            return new ResearchOutcome(question, null, [], $"A question is one line of 1 to {MaxQuestionLength} characters.");
        }

        var frontend = settings.Ids.Frontend.ToString();
        PolicyDecision decision;
        try
        {
            var input = new AuthorizationInputBuilder(time)
                .WithCaller(settings.Ids.Frontend)
                .WithUserToken(Claims(accessToken))
                .WithAction("research.ask")
                .WithResource(new AuthorizationResource("frontend", frontend))
                .Build();
            decision = await policy.DecideAsync(DecisionPath.Parse(ResearchPolicy.Ask), input.Document, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PolicyDecisionException or AuthorizationInputException or FormatException or JsonException)
        {
            var failed = new Hop(Hop.Browser, frontend, user, [], Hop.Deny, null, null, 503, "The policy could not decide: " + e.Message);
            return new ResearchOutcome(question, null, [failed], "The policy could not decide, so the question was not asked.");
        }

        var person = HopBuilder.Person(frontend, user, decision);
        if (!decision.IsAllowed)
        {
            return new ResearchOutcome(question, null, [person], "The policy did not let you ask.");
        }

        using var http = clients.CreateClient(ResearcherClient);
        using var request = new HttpRequestMessage(HttpMethod.Post, "research") { Content = JsonContent.Create(new ResearchRequest(question)) };
        request.Options.Set(SpiffeRequestOptions.SubjectToken, accessToken);
        var researcher = settings.Ids.Researcher.ToString();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var refused = HopBuilder.Refused(frontend, researcher, user, (int)response.StatusCode, body);
                return new ResearchOutcome(question, null, [person, refused], $"The researcher refused the call ({(int)response.StatusCode}).");
            }

            var answer = JsonSerializer.Deserialize<ResearchResponse>(body)
                ?? throw new JsonException("the researcher answered with an empty body");
            // The agents downstream see only the exchanged token's sub; the frontend knows whose session this is and
            // shows the name instead.
            var trail = answer.Trail.Select(h => subject is not null && h.User == subject ? h with { User = user } : h);
            return new ResearchOutcome(question, answer.Answer, [person, .. trail],
                answer.Answer is null ? "The researcher could not get an answer written." : null);
        }
        catch (TokenExchangeException e)
        {
            var refused = new Hop(frontend, researcher, user, [], Hop.Deny, null, null, e.Status ?? 0,
                "The edge refused the token exchange: " + (e.Description ?? e.Error ?? e.Message));
            return new ResearchOutcome(question, null, [person, refused], "The edge would not exchange your token; try signing in again.");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            var failed = new Hop(frontend, researcher, user, [], Hop.Deny, null, null, 0, "The researcher could not be reached: " + e.Message);
            return new ResearchOutcome(question, null, [person, failed], "The researcher could not be reached.");
        }
    }

    /// <summary>The denied demo: the frontend calls the writer itself.</summary>
    public async Task<ResearchOutcome> CallWriterDirectlyAsync(string user, CancellationToken cancellationToken)
    {
        var frontend = settings.Ids.Frontend.ToString();
        var writer = settings.Ids.Writer.ToString();
        using var http = clients.CreateClient(WriterClient);
        try
        {
            using var response = await http.PostAsJsonAsync("write", new WriteRequest(DirectQuestion, []), cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                // The policy must never allow this; if it does, say so plainly.
                var allowed = JsonSerializer.Deserialize<WriteResponse>(body);
                return new ResearchOutcome(null, allowed?.Answer, allowed?.Trail ?? [], "The writer accepted a direct call from the frontend: check the policy.");
            }

            var refused = HopBuilder.Refused(frontend, writer, null, (int)response.StatusCode, body);
            return new ResearchOutcome(null, null, [refused],
                $"Denied: the writer refused the frontend's direct call ({(int)response.StatusCode}). Only the researcher may call the writer, for a signed-in user.");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            var failed = new Hop(frontend, writer, null, [], Hop.Deny, null, null, 0, "The writer could not be reached: " + e.Message);
            return new ResearchOutcome(null, null, [failed], "The writer could not be reached.");
        }
    }

    // The person's access token came to us straight from the edge's token endpoint (OIDC Core §3.1.3.3): its claims
    // say who is asking. Only the payload is read; the agents downstream verify the exchanged tokens themselves.
    private static JsonElement Claims(string accessToken)
    {
        var parts = accessToken.Split('.');
        if (parts.Length != 3)
        {
            throw new FormatException("the access token is not a compact JWT");
        }

        using var payload = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[1]));
        return payload.RootElement.Clone();
    }
}
