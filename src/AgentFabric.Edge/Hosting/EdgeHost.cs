using AgentFabric.Edge.Endpoints;
using AgentFabric.Edge.Store;
using AgentFabric.Edge.Tls;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Edge.Hosting;

/// <summary>Builds the edge's web application: Kestrel on the issuer's host and port, OpenIddict, the login page.</summary>
public static class EdgeHost
{
    /// <summary>The cookie that remembers a signed-in person between the login page and the authorization endpoint.</summary>
    public const string LoginScheme = "AgentFabric.Edge.Login";

    /// <summary>Builds (does not start) the edge. Throws <see cref="EdgeConfigException"/> for bad options.</summary>
    public static async Task<WebApplication> BuildAsync(EdgeOptions options, TimeProvider? timeProvider = null,
        Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        var issuer = options.Issuer ?? throw new EdgeConfigException("edge: the issuer URL is required");
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new EdgeConfigException(string.Join("; ", errors));
        }

        var trust = await EdgeTrustSources.CreateAsync(options, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        try
        {
            var mtlsCertificate = options.MtlsEndpoint is null ? null : MtlsListener.ServerCertificate(options, trust);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                MtlsListener.Listen(kestrel, issuer, listen =>
                {
                    if (issuer.Scheme == Uri.UriSchemeHttps)
                    {
                        listen.UseHttps();
                    }
                });
                if (mtlsCertificate is not null)
                {
                    MtlsListener.Listen(kestrel, options.MtlsEndpoint!, listen => MtlsListener.UseMtls(listen, mtlsCertificate));
                }
            });
            builder.Services.AddEdgeServer(options, timeProvider ?? TimeProvider.System, trust);
            builder.Services.AddDataProtection()
                .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "data-protection")))
                .SetApplicationName("AgentFabric.Edge");
            builder.Services.AddAntiforgery(a => a.Cookie.Name = "AgentFabric.Edge.Antiforgery");
            builder.Services.AddAuthentication(LoginScheme).AddCookie(LoginScheme, cookie =>
            {
                cookie.Cookie.Name = "AgentFabric.Edge.Login";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
                cookie.LoginPath = "/" + EdgeEndpoints.Login;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
            builder.Services.AddAuthorization();
            configureServices?.Invoke(builder.Services);

            var app = builder.Build();
            // The exchange policy loads now: a bundle that does not activate is a configuration error at start
            // (EdgeConfigException), not a 500 on the first exchange.
            _ = app.Services.GetRequiredService<AgentFabric.Authorization.IPolicyDecisionPoint>();
            // So do the external issuers' static JWKS files.
            _ = app.Services.GetRequiredService<Exchange.SubjectTokenValidator>();
            await EdgeDatabase.EnsureCreatedAsync(app.Services, cancellationToken).ConfigureAwait(false);
            TokenExchangeEndpoint.Use(app);
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseAntiforgery();
            LoginEndpoints.Map(app);
            if (options.Upstreams.Count > 0)
            {
                UpstreamEndpoints.Map(app);
            }

            AuthorizationEndpoint.Map(app);
            TokenEndpoint.Map(app);
            UserInfoEndpoint.Map(app);
            EndSessionEndpoint.Map(app);
            return app;
        }
        catch
        {
            // A start that fails stops the Workload API watches it began.
            await trust.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
