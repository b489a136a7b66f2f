using AgentFabric.Authorization;
using AgentFabric.Authorization.DecisionLogs;
using AgentFabric.Edge.Exchange;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Edge.Hosting;

/// <summary>
/// The exchange decisions in OPA's decision-log shape: every decision the exchange policy makes is one event whose
/// <c>decision_id</c> is also the issued token's <c>jti</c> (a refusal's id is in its error description), so a token
/// seen at a resource leads back to the decision that let it be issued. Events go to
/// <see cref="EdgeOptions.DecisionLogPath"/> (JSON lines) and to every <see cref="IDecisionLogSink"/> registered in
/// the services; with neither, decisions are not logged.
/// </summary>
internal static class EdgeDecisionLog
{
    /// <summary>Registers the exchange policy decision point, wrapped in a decision logger when there is a sink.</summary>
    public static IServiceCollection AddExchangePolicy(this IServiceCollection services, EdgeOptions options)
    {
        if (options.DecisionLogPath is { } path)
        {
            services.AddSingleton<IDecisionLogSink>(new FileDecisionLogSink(path));
        }

        services.AddSingleton(sp =>
        {
            var sinks = sp.GetServices<IDecisionLogSink>().ToArray();
            return new ExchangeDecisionLogger(sinks.Length == 0
                ? null
                : new DecisionLogger(sinks, masker: null, new DecisionLoggerOptions { Labels = Labels(options) },
                    sp.GetService<ILogger<DecisionLogger>>(), sp.GetRequiredService<TimeProvider>()));
        });
        services.AddSingleton<IPolicyDecisionPoint>(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var policy = ExchangePolicy.Create(options, time);
            return sp.GetRequiredService<ExchangeDecisionLogger>().Logger is { } logger
                ? new DecisionLoggingPolicyDecisionPoint(policy, logger, revisions: null, time)
                : policy;
        });
        return services;
    }

    // OPA's decision-log labels name the instance that decided (OPA docs, "Decision Logs": labels.id, labels.version).
    private static Dictionary<string, string> Labels(EdgeOptions options) => new(StringComparer.Ordinal)
    {
        ["id"] = options.Issuer!.ToString(),
        ["app"] = "agentfabric-edge",
        ["version"] = typeof(EdgeDecisionLog).Assembly.GetName().Version?.ToString() ?? "0",
    };
}
