using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>A stand-in for a company's IdP we do not own (Keycloak, Entra ID): on 127.0.0.1 it serves a discovery
/// document and a JWKS whose keys a test can rotate, and mints RS256 access tokens.</summary>
internal sealed class ExternalIdentityProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RsaSecurityKey> _published = [];

    private ExternalIdentityProvider(WebApplication app, Uri issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    /// <summary>The issuer (no trailing slash, as Keycloak's realm issuers are).</summary>
    public Uri Issuer { get; }

    public int JwksFetches { get; private set; }

    public static async Task<ExternalIdentityProvider> StartAsync()
    {
        var port = LoopbackPorts.Next();
        var issuer = new Uri($"http://127.0.0.1:{port}/realms/legacy");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var idp = new ExternalIdentityProvider(app, issuer);
        app.MapGet("/realms/legacy/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, string>
        {
            ["issuer"] = issuer.OriginalString,
            ["jwks_uri"] = issuer.OriginalString + "/protocol/openid-connect/certs",
        }));
        app.MapGet("/realms/legacy/protocol/openid-connect/certs", () =>
        {
            idp.JwksFetches++;
            return Results.Text(idp.Jwks(), "application/json");
        });
        await app.StartAsync();
        return idp;
    }

    /// <summary>A new RSA key; published in the JWKS when <paramref name="publish"/>.</summary>
    public RsaSecurityKey NewKey(string kid, bool publish = true)
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid };
        if (publish)
        {
            _published.Add(key);
        }

        return key;
    }

    public void Publish(RsaSecurityKey key) => _published.Add(key);

    public string Token(JsonObject claims, SecurityKey key, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(claims.ToJsonString(), new SigningCredentials(key, algorithm));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private string Jwks()
    {
        var keys = new JsonArray();
        foreach (var key in _published)
        {
            var parameters = key.Rsa.ExportParameters(false);
            keys.Add(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = key.KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            });
        }

        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }
}
