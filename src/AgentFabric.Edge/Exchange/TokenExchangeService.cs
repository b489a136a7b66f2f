using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFabric.Authorization;
using AgentFabric.Authorization.Input;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.Jwt;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Exchange;

/// <summary>
/// The STS: RFC 8693 token exchange for agents that authenticate with a JWT-SVID
/// (draft-ietf-oauth-spiffe-client-auth). Order: client authentication, parameters, actor, subject, target, scope,
/// chain, policy decision, then the token (RFC 9068 <c>at+jwt</c>, signed with the edge's key).
/// </summary>
public sealed partial class TokenExchangeService(
    EdgeOptions options,
    IJwtBundleSource bundles,
    IX509BundleSource x509Bundles,
    SubjectTokenValidator subjects,
    EdgeSigningCredentials signing,
    AssertionReplayCache replays,
    IPolicyDecisionPoint policy,
    TimeProvider timeProvider)
{
    private static readonly JsonWebTokenHandler s_handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SpiffeClientPattern[] _clients = [.. options.SpiffeClients.Select(SpiffeClientPattern.Parse)];
    private readonly DecisionPath _decisionPath = DecisionPath.Parse(options.ExchangeDecisionPath);

    /// <summary>Runs an exchange. Throws <see cref="TokenExchangeException"/> with the exact OAuth error.</summary>
    public async Task<TokenExchangeResponse> ExchangeAsync(TokenExchangeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (caller, thumbprint) = AuthenticateClient(request);
        CheckParameters(request);

        // RFC 8693 §2.1: the actor token, when sent, is the caller's own JWT-SVID (toolhive#6331: actor = client).
        if (request.ActorToken is not null)
        {
            if (!JwtSvid.TryParse(request.ActorToken, bundles, Audiences, SvidOptions, out var actor, out var actorError))
            {
                throw TokenExchangeException.InvalidRequest("The actor token is not a valid JWT-SVID: " + actorError);
            }

            if (actor.Id != caller)
            {
                throw TokenExchangeException.InvalidRequest($"The actor token names {actor.Id}, not the authenticated client {caller}.");
            }
        }

        var subject = await subjects.ValidateAsync(request.SubjectToken!, cancellationToken).ConfigureAwait(false);
        var (claims, subjectExpiry) = (subject.Claims, subject.Expiry);
        CheckSubjectBinding(claims, caller, fromExternalIssuer: subject.ExternalIssuer is not null);
        CheckCertificateBinding(claims, thumbprint);
        var target = Target(request);
        var (scopes, scopeText) = NarrowScopes(claims, request.Scope);
        var act = DelegationChain.Extend(claims, caller.ToString(), options.MaxDelegationDepth);

        var decision = await DecideAsync(claims, caller, target, scopes, cancellationToken).ConfigureAwait(false);
        if (!decision.IsAllowed)
        {
            throw TokenExchangeException.InvalidTarget($"The policy does not let {caller} obtain a token for {target} (decision {decision.DecisionId}).");
        }

        var now = timeProvider.GetUtcNow();
        var expiry = Min(subjectExpiry, now + options.ExchangeLifetimeCap);
        var lifetime = (long)(expiry - now).TotalSeconds;
        if (lifetime <= 0)
        {
            throw TokenExchangeException.InvalidRequest("The subject token expires too soon to exchange.");
        }

        var token = Issue(claims, caller, target, scopeText, act, thumbprint, now, now.AddSeconds(lifetime), decision.DecisionId);
        var echoedScope = request.Scope is not null && request.Scope == scopeText ? null : scopeText;
        return new TokenExchangeResponse(token, TokenTypes.AccessToken, "Bearer", lifetime, echoedScope, decision.DecisionId);
    }

    private IEnumerable<string> Audiences => [options.Issuer!.ToString(), new Uri(options.Issuer!, Hosting.EdgeEndpoints.Token).ToString()];

    private JwtSvidValidationOptions SvidOptions => new() { TimeProvider = timeProvider };

    private static void CheckParameters(TokenExchangeRequest request)
    {
        // RFC 8693 §2.1.
        if (string.IsNullOrEmpty(request.SubjectToken))
        {
            throw TokenExchangeException.InvalidRequest("subject_token is required.");
        }

        if (string.IsNullOrEmpty(request.SubjectTokenType))
        {
            throw TokenExchangeException.InvalidRequest("subject_token_type is required.");
        }

        if (request.SubjectTokenType is not (TokenTypes.AccessToken or TokenTypes.Jwt))
        {
            throw TokenExchangeException.InvalidRequest($"subject_token_type \"{request.SubjectTokenType}\" is not supported.");
        }

        if (request.ActorToken is null != request.ActorTokenType is null)
        {
            // RFC 8693 §2.1: actor_token_type is required with actor_token and must not appear without it.
            throw TokenExchangeException.InvalidRequest("actor_token and actor_token_type go together.");
        }

        if (request.ActorTokenType is not null && request.ActorTokenType != TokenTypes.Jwt)
        {
            throw TokenExchangeException.InvalidRequest($"actor_token_type must be {TokenTypes.Jwt} (a JWT-SVID).");
        }

        if (request.RequestedTokenType is not null && request.RequestedTokenType != TokenTypes.AccessToken)
        {
            throw TokenExchangeException.InvalidRequest($"requested_token_type \"{request.RequestedTokenType}\" is not supported.");
        }
    }

    private static void CheckSubjectBinding(JsonElement claims, SpiffeId caller, bool fromExternalIssuer)
    {
        // RFC 9068 §2.2: an access token's sub is a required string; the issued token carries it on, and a token
        // without one is a bad subject token (invalid_request), not a policy or target problem.
        if (!claims.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(sub.GetString()))
        {
            throw TokenExchangeException.InvalidRequest("The subject token has no sub (a non-empty string).");
        }

        // A subject token addressed to someone else is not the caller's to exchange (RFC 8693 §2.2.2: invalid_request).
        // An external issuer's token was checked against the audience configured for it instead.
        if (!fromExternalIssuer && claims.TryGetProperty("aud", out var aud) && !Strings(aud).Contains(caller.ToString()))
        {
            throw TokenExchangeException.InvalidRequest($"The subject token is not addressed to {caller}.");
        }

        // RFC 8693 §4.4: may_act names who may act for the subject.
        if (claims.TryGetProperty("may_act", out var mayAct)
            && (mayAct.ValueKind != JsonValueKind.Object || !mayAct.TryGetProperty("sub", out var allowed)
                || allowed.ValueKind != JsonValueKind.String || allowed.GetString() != caller.ToString()))
        {
            throw TokenExchangeException.InvalidRequest($"The subject token's may_act does not allow {caller} to act for it.");
        }
    }

    private static SpiffeId Target(TokenExchangeRequest request)
    {
        var targets = request.Audiences.Concat(request.Resources).Distinct(StringComparer.Ordinal).ToList();
        if (targets.Count == 0)
        {
            throw TokenExchangeException.InvalidRequest("audience or resource (the target agent's SPIFFE ID) is required.");
        }

        if (targets.Count > 1)
        {
            // RFC 8707 §2: we issue a token for one target only.
            throw TokenExchangeException.InvalidTarget("Name exactly one target (audience or resource).");
        }

        if (!SpiffeId.TryParse(targets[0], out var target, out var error))
        {
            throw TokenExchangeException.InvalidTarget($"The target \"{targets[0]}\" is not a SPIFFE ID: {error}");
        }

        return target;
    }

    /// <summary>RFC 8693 §2.1 / RFC 6749 §3.3: scopes only narrow; no scope asked means the subject's scopes.</summary>
    private static (string[] Scopes, string Text) NarrowScopes(JsonElement claims, string? requested)
    {
        var held = claims.TryGetProperty("scope", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        if (requested is null)
        {
            return (held, string.Join(' ', held));
        }

        var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
        var wider = asked.Where(a => !held.Contains(a, StringComparer.Ordinal)).ToList();
        if (wider.Count > 0)
        {
            throw TokenExchangeException.InvalidScope($"The subject token does not hold the scope(s) {string.Join(' ', wider)}.");
        }

        return (asked, string.Join(' ', asked));
    }

    private async Task<PolicyDecision> DecideAsync(JsonElement claims, SpiffeId caller, SpiffeId target, string[] scopes, CancellationToken cancellationToken)
    {
        try
        {
            var input = new AuthorizationInputBuilder(timeProvider)
                .WithCaller(caller)
                .WithUserToken(claims)
                .WithAction("token.exchange")
                .WithResource(new AuthorizationResource("agent", target.ToString(), Attributes: new Dictionary<string, string> { ["scope"] = string.Join(' ', scopes) }))
                .Build();
            return await policy.DecideAsync(_decisionPath, input.Document, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PolicyDecisionException or AuthorizationInputException)
        {
            // Fail closed: an error is never an allow.
            throw TokenExchangeException.InvalidTarget("The exchange policy could not decide: " + e.Message);
        }
    }

    private string Issue(JsonElement subject, SpiffeId caller, SpiffeId target, string scope, JsonObject act, string? thumbprint, DateTimeOffset now, DateTimeOffset expiry, string decisionId)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = subject.GetProperty("sub").GetString()!,
            ["client_id"] = caller.ToString(),
            ["jti"] = decisionId, // the decision log's id: the token and its decision link up (issue #15)
            // As a JsonElement the handler writes the chain verbatim: numbers, booleans, arrays and objects inside
            // earlier act members stay what they were (RFC 8693 §4.1 nests the previous act unchanged).
            ["act"] = JsonSerializer.SerializeToElement(act),
        };
        if (scope.Length > 0)
        {
            claims["scope"] = scope;
        }

        if (thumbprint is not null)
        {
            // RFC 8705 §3.1: bound to the X.509-SVID the exchange came over.
            claims["cnf"] = new Dictionary<string, object> { [CertificateThumbprint.ClaimName] = thumbprint };
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer!.ToString(),
            Audience = target.ToString(), // RFC 8707: the target only
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiry.UtcDateTime,
            TokenType = "at+jwt", // RFC 9068 §2.1
            SigningCredentials = signing.Credentials,
        };
        return s_handler.CreateToken(descriptor);
    }

    private static IEnumerable<string?> Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()],
        JsonValueKind.Array => value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()),
        _ => [],
    };

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
