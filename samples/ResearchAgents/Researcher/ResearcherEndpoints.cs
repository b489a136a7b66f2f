using System.Net.Http.Json;
using AgentFabric.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ResearchAgents.Hosting;
using ResearchAgents.Hosting.Messages;
using ResearchAgents.Hosting.Trail;
using ResearchAgents.Providers;

namespace ResearchAgents.Researcher;

/// <summary>The researcher's API: <c>POST /research</c>, allowed by the sample's Rego (frontend only, signed-in user).
/// It searches, then calls the writer through the SPIFFE HttpClient <c>writer</c>, which exchanges the user's token
/// for the writer's audience at the edge.</summary>
public static class ResearcherEndpoints
{
    /// <summary>The named SPIFFE HttpClient to the writer.</summary>
    public const string WriterClient = "writer";

    public const int MaxResults = 4;
    public const int MaxQuestionLength = 2000;

    /// <summary>Registers the writer client (server SPIFFE ID checked, token exchanged per call).</summary>
    public static IServiceCollection AddResearcherClients(this IServiceCollection services, AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSpiffeHttpClient(WriterClient, settings.Ids.Writer, o => o.RequireUserToken = true)
            .ConfigureHttpClient(c => c.BaseAddress = settings.WriterUrl);
        return services;
    }

    public static IEndpointRouteBuilder MapResearcher(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/research", ResearchAsync)
            .RequireAuthorization(p => p.RequireRegoDecision(ResearchPolicy.Allow, action: "research.run"));
        app.MapHealthChecks("/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    private static async Task<IResult> ResearchAsync(ResearchRequest? request, HttpContext http, ISearchProvider search, IHttpClientFactory clients, AgentSettings settings)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Question) || request.Question.Length > MaxQuestionLength || request.Question.Contains('\n', StringComparison.Ordinal))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                detail: $"question: one line of 1 to {MaxQuestionLength} characters is required");
        }

        var self = settings.Ids.Researcher.ToString();
        var hop = HopBuilder.Allowed(http, self);
        IReadOnlyList<SearchResult> sources;
        try
        {
            sources = await search.SearchAsync(request.Question.Trim(), MaxResults, http.RequestAborted);
        }
        catch (ProviderException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Bad Gateway", detail: e.Message);
        }

        using var writer = clients.CreateClient(WriterClient);
        try
        {
            using var response = await writer.PostAsJsonAsync("write", new WriteRequest(request.Question.Trim(), sources), http.RequestAborted);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(http.RequestAborted);
                var refused = HopBuilder.Refused(self, settings.Ids.Writer.ToString(), hop.User, (int)response.StatusCode, body);
                return Results.Json(new ResearchResponse(null, sources, search.Name, null, [hop, refused]));
            }

            var written = await response.Content.ReadFromJsonAsync<WriteResponse>(http.RequestAborted)
                ?? throw new InvalidOperationException("the writer answered with an empty body");
            return Results.Json(new ResearchResponse(written.Answer, sources, search.Name, written.Provider, [hop, .. written.Trail]));
        }
        catch (TokenExchangeException e)
        {
            var refused = new Hop(self, settings.Ids.Writer.ToString(), hop.User, [], Hop.Deny, null, null, e.Status ?? 0,
                $"the edge refused the token exchange: {e.Error ?? e.Message}");
            return Results.Json(new ResearchResponse(null, sources, search.Name, null, [hop, refused]));
        }
        catch (HttpRequestException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Bad Gateway", detail: "the writer could not be reached: " + e.Message);
        }
    }
}
