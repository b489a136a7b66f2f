using System.CommandLine;
using AgentFabric.Authorization.Bundles;
using AgentFabric.PolicyServer.Envoy;
using AgentFabric.PolicyServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace AgentFabric.Cli.Policy;

/// <summary><c>agentfabric policy serve</c>: OPA's REST API server, with the flags of <c>opa run --server</c>
/// (<c>--addr</c>, <c>-b</c>, signed-bundle flags, <c>--set</c>, <c>--authentication</c>, TLS files). Runs until
/// Ctrl+C or SIGTERM, then stops cleanly (in-flight requests finish, decision logs flush).</summary>
internal static class PolicyServeCommand
{

    public static Command Create()
    {
        var f = new Flags();
        var command = new Command("serve", "Serve OPA's REST API (Data, Policy, Query, health, status, metrics) over the embedded engine.")
        {
            f.Addr, f.Bundles, f.BundleUrls, f.VerificationKey, f.VerificationKeyId, f.SigningAlg, f.Scope, f.ExcludeFiles, f.Set, f.DecisionLogFile, f.DecisionLogUrl, f.DefaultDecision, f.Authentication, f.TokenFile, f.AdminTokenFile, f.AllowedIds, f.AdminIds, f.TlsCert, f.TlsKey, f.TlsCa, f.TrustDomain,
        };
        command.SetAction(PolicyCommand.Errors, async (parse, console, cancellationToken) =>
        {
            WebApplication app;
            try
            {
                app = PolicyServerHost.Create(ReadOptions(parse, f), console: console.Out);
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message.Split(" (Parameter")[0], e);
            }

            await using (app.ConfigureAwait(false))
            {
                try
                {
                    await app.StartAsync(cancellationToken).ConfigureAwait(false);
                    await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C or SIGTERM: stop below.
                }
                catch (IOException e)
                {
                    throw new CliException($"cannot listen on {parse.GetValue(f.Addr)}: {e.Message}", e);
                }

                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    /// <summary>The options the flags give; throws <see cref="CliException"/> for a bad value.</summary>
    private static PolicyServerOptions ReadOptions(ParseResult parse, Flags f)
    {
        var settings = ReadSettings(parse.GetValue(f.Set) ?? []);
        var options = new PolicyServerOptions
        {
            Address = parse.GetValue(f.Addr)!,
            BundlePaths = parse.GetValue(f.Bundles) ?? [],
            BundleUrls = (parse.GetValue(f.BundleUrls) ?? []).Select(ParseUrl).ToArray(),
            BundleLoad = new BundleLoadOptions { Verification = ReadVerification(parse, f) },
            DefaultDecision = parse.GetValue(f.DefaultDecision) ?? settings.GetValueOrDefault("default_decision") ?? "system/main",
            DecisionLogFile = parse.GetValue(f.DecisionLogFile),
            DecisionLogUrl = parse.GetValue(f.DecisionLogUrl) is { } url ? ParseUrl(url) : null,
            DecisionLogConsole = settings.TryGetValue("decision_logs.console", out var c) && ParseBool("decision_logs.console", c),
            Authentication = parse.GetValue(f.Authentication) switch
            {
                "token" => PolicyServerAuthentication.Token,
                "tls" => PolicyServerAuthentication.Tls,
                _ => PolicyServerAuthentication.Off,
            },
            Tokens = ReadTokens(parse.GetValue(f.TokenFile)),
            AdminTokens = ReadTokens(parse.GetValue(f.AdminTokenFile)),
            AllowedSpiffeIds = parse.GetValue(f.AllowedIds) ?? [],
            AdminSpiffeIds = parse.GetValue(f.AdminIds) ?? [],
            TlsCertFile = parse.GetValue(f.TlsCert),
            TlsPrivateKeyFile = parse.GetValue(f.TlsKey),
            TrustBundleFile = parse.GetValue(f.TlsCa),
            TrustDomain = parse.GetValue(f.TrustDomain),
            EnvoyAddress = settings.GetValueOrDefault("plugins.envoy_ext_authz_grpc.addr"),
            EnvoyPath = settings.GetValueOrDefault("plugins.envoy_ext_authz_grpc.path")?.Trim('/') ?? EnvoyExtAuthzOptions.DefaultPath,
        };
        return options with { DefaultDecision = options.DefaultDecision.Trim('/') };
    }

    // OPA's configuration keys, with OPA-Envoy's plugin settings for the ext_authz gRPC listener.
    private static readonly string[] SupportedSettings =
        ["decision_logs.console", "default_decision", "plugins.envoy_ext_authz_grpc.addr", "plugins.envoy_ext_authz_grpc.path"];

    private static Dictionary<string, string> ReadSettings(string[] sets)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            var eq = set.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliException($"--set {set}: want key=value");
            }

            var key = set[..eq];
            if (!SupportedSettings.Contains(key))
            {
                throw new CliException($"--set {key}: unsupported setting (supported: {string.Join(", ", SupportedSettings)})");
            }

            settings[key] = set[(eq + 1)..];
        }

        return settings;
    }

    private static bool ParseBool(string key, string value) =>
        bool.TryParse(value, out var b) ? b : throw new CliException($"--set {key}={value}: want true or false");

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : throw new CliException($"invalid URL '{text}': want an absolute http or https URL");

    private static BundleVerificationOptions? ReadVerification(ParseResult parse, Flags f)
    {
        if (parse.GetValue(f.VerificationKey) is not { } keyFile)
        {
            return null;
        }

        string key;
        try
        {
            key = File.ReadAllText(keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--verification-key {keyFile}: {e.Message}", e);
        }

        var id = parse.GetValue(f.VerificationKeyId)!;
        return new BundleVerificationOptions
        {
            Keys = new Dictionary<string, BundleVerificationKey>(StringComparer.Ordinal) { [id] = new BundleVerificationKey(parse.GetValue(f.SigningAlg)!, key, parse.GetValue(f.Scope)) },
            KeyId = id,
            Scope = parse.GetValue(f.Scope),
            ExcludeFiles = parse.GetValue(f.ExcludeFiles) ?? [],
        };
    }

    private static string[] ReadTokens(string? file)
    {
        if (file is null)
        {
            return [];
        }

        try
        {
            return File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{file}: {e.Message}", e);
        }
    }

    private sealed class Flags
    {
        public readonly Option<string> Addr = new("--addr", "-a") { Description = "Listen address host:port (:port for every interface).", DefaultValueFactory = _ => "localhost:8181" };
        public readonly Option<string[]> Bundles = PolicyCommand.BundleOption();
        public readonly Option<string[]> BundleUrls = new("--bundle-url") { Description = "An HTTP bundle service URL polled with ETag (repeatable); the bundle is named by the URL's last segment.", AllowMultipleArgumentsPerToken = false };
        public readonly Option<string?> VerificationKey = new("--verification-key") { Description = "PEM public key file (or shared secret file for HS*) that bundle signatures must verify with." };
        public readonly Option<string> VerificationKeyId = new("--verification-key-id") { Description = "The key's id (matched with the signature's kid).", DefaultValueFactory = _ => "default" };
        public readonly Option<string> SigningAlg = new("--signing-alg") { Description = "The verification key's algorithm.", DefaultValueFactory = _ => "RS256" };
        public readonly Option<string?> Scope = new("--scope") { Description = "The scope signed bundles must carry." };
        public readonly Option<string[]> ExcludeFiles = new("--exclude-files-verify") { Description = "Bundle files left out of signature verification (repeatable).", AllowMultipleArgumentsPerToken = false };
        public readonly Option<string[]> Set = new("--set", "-s") { Description = "Configuration: decision_logs.console=true, default_decision=/system/main, plugins.envoy_ext_authz_grpc.addr=:9191, plugins.envoy_ext_authz_grpc.path=envoy/authz/allow (repeatable).", AllowMultipleArgumentsPerToken = false };
        public readonly Option<string?> DecisionLogFile = new("--decision-log-file") { Description = "Write decision logs as JSON lines to this file." };
        public readonly Option<string?> DecisionLogUrl = new("--decision-log-url") { Description = "Upload decision logs (gzip JSON arrays) to this URL." };
        public readonly Option<string?> DefaultDecision = new("--default-decision") { Description = "The decision POST / evaluates (default /system/main)." };
        public readonly Option<string> Authentication = new("--authentication") { Description = "Client authentication: off, token or tls.", DefaultValueFactory = _ => "off" };
        public readonly Option<string?> TokenFile = new("--token-file") { Description = "File of bearer tokens allowed to read, one per line (with --authentication=token)." };
        public readonly Option<string?> AdminTokenFile = new("--admin-token-file") { Description = "File of bearer tokens also allowed to write policies and data, one per line." };
        public readonly Option<string[]> AllowedIds = new("--allowed-spiffe-id") { Description = "SPIFFE ID allowed to read with --authentication=tls (repeatable; none: any valid SVID).", AllowMultipleArgumentsPerToken = false };
        public readonly Option<string[]> AdminIds = new("--admin-spiffe-id") { Description = "SPIFFE ID also allowed to write (repeatable).", AllowMultipleArgumentsPerToken = false };
        public readonly Option<string?> TlsCert = new("--tls-cert-file") { Description = "Server certificate (PEM) for HTTPS." };
        public readonly Option<string?> TlsKey = new("--tls-private-key-file") { Description = "Server private key (PEM)." };
        public readonly Option<string?> TlsCa = new("--tls-ca-cert-file") { Description = "Trust bundle (PEM) client SVIDs must chain to (--authentication=tls)." };
        public readonly Option<string?> TrustDomain = new("--trust-domain") { Description = "The trust domain of --tls-ca-cert-file." };

        public Flags()
        {
            Authentication.AcceptOnlyFromAmong("off", "token", "tls");
        }
    }
}
