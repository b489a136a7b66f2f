using System.Text.Json;
using AgentFabric.Authorization;
using AgentFabric.Authorization.Bundles;
using AgentFabric.Rego;

namespace AgentFabric.Edge.Exchange;

/// <summary>
/// The policy decision point for exchanges: the AgentFabric Rego library plus the edge's bundle: the built-in
/// <c>edge.exchange</c> policy with <see cref="EdgeOptions.ExchangeRoutes"/> as <c>data.edge.routes</c>, or the
/// bundle at <see cref="EdgeOptions.PolicyPath"/>.
/// </summary>
public static class ExchangePolicy
{
    public const string BundleName = "edge";

    /// <summary>Throws <see cref="EdgeConfigException"/> when a bundle does not load.</summary>
    public static IPolicyDecisionPoint Create(EdgeOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var activator = new BundleActivator(new RegoEngine(), timeProvider);
        Activate(activator, AgentFabricPolicyLibrary.BundleName, AgentFabricPolicyLibrary.Load);
        Activate(activator, BundleName, () => options.PolicyPath is null
            ? PolicyBundle.Load(BundleName, BuiltIn(options))
            : PolicyBundle.LoadPath(BundleName, options.PolicyPath));
        return new EmbeddedPolicyDecisionPoint(activator.Store, timeProvider);
    }

    private static void Activate(BundleActivator activator, string name, Func<PolicyBundle> load)
    {
        var activation = activator.Activate(name, load);
        if (!activation.Succeeded)
        {
            throw new EdgeConfigException($"edge: the policy bundle \"{name}\" did not load: {activation.Error!.Message}", activation.Error);
        }
    }

    private static BundleFiles BuiltIn(EdgeOptions options)
    {
        var assembly = typeof(ExchangePolicy).Assembly;
        using var stream = assembly.GetManifestResourceStream("AgentFabric.Edge.Policy/exchange.rego")!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var files = new BundleFiles("built-in edge policy");
        // OPA bundle format: without a manifest a bundle owns the root "" and overlaps the policy library's
        // "agentfabric" root, so activation fails; the built-in bundle owns "edge" only.
        files.Add("/.manifest", JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["revision"] = "built-in", ["roots"] = new[] { BundleName } }));
        files.Add("/edge/exchange/exchange.rego", buffer.ToArray());
        var routes = options.ExchangeRoutes.Select(r => new Dictionary<string, string> { ["caller"] = r.Caller, ["target"] = r.Target });
        files.Add("/edge/data.json", JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["routes"] = routes }));
        return files;
    }
}
