using AgentFabric.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ResearchAgents.Hosting;
using ResearchAgents.Hosting.Messages;
using ResearchAgents.Hosting.Trail;
using ResearchAgents.Providers;

namespace ResearchAgents.Writer;

/// <summary>The writer's API: <c>POST /write</c>, allowed by the sample's Rego (researcher only, signed-in user,
/// chain frontend → researcher); a denial is the SDK's 403 problem details with the decision id.</summary>
public static class WriterEndpoints
{
    /// <summary>The most sources a request may carry, and the longest question: limits fail closed.</summary>
    public const int MaxSources = 20;
    public const int MaxQuestionLength = 2000;

    public static IEndpointRouteBuilder MapWriter(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/write", WriteAsync)
            .RequireAuthorization(p => p.RequireRegoDecision(ResearchPolicy.Allow, action: "research.write"));
        app.MapHealthChecks("/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    private static async Task<IResult> WriteAsync(WriteRequest? request, HttpContext http, IChatProvider chat, AgentSettings settings)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Question) || request.Question.Length > MaxQuestionLength || request.Question.Contains('\n', StringComparison.Ordinal))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                detail: $"question: one line of 1 to {MaxQuestionLength} characters is required");
        }

        var sources = request.Sources ?? [];
        if (sources.Count > MaxSources)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: $"sources: at most {MaxSources}");
        }

        var hop = HopBuilder.Allowed(http, settings.Ids.Writer.ToString());
        try
        {
            var answer = await chat.CompleteAsync(ResearchPrompt.System, ResearchPrompt.User(request.Question, sources), http.RequestAborted);
            return Results.Json(new WriteResponse(answer, chat.Name, [hop]));
        }
        catch (ProviderException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Bad Gateway", detail: e.Message);
        }
    }
}
