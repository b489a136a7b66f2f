using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Edge.Exchange;

/// <summary>Who is calling: a JWT-SVID client assertion (draft-ietf-oauth-spiffe-client-auth) or an X.509-SVID
/// presented over mutual TLS (RFC 8705 §2), checked against the configured bundles only; and the binding of
/// certificate-bound subject tokens to the certificate of this connection (RFC 8705 §3).</summary>
public sealed partial class TokenExchangeService
{
    /// <summary>The client's SPIFFE ID, and the thumbprint of its X.509-SVID when it came over mutual TLS.</summary>
    private (SpiffeId Caller, string? Thumbprint) AuthenticateClient(TokenExchangeRequest request)
    {
        if (request.ClientCertificates is not { Count: > 0 } certificates)
        {
            return (AuthenticateByAssertion(request), null);
        }

        X509SvidVerificationResult verified;
        try
        {
            verified = X509SvidVerifier.Verify(certificates, x509Bundles, timeProvider);
        }
        catch (X509SvidException e)
        {
            throw TokenExchangeException.InvalidClient("The client certificate is not a valid X.509-SVID: " + e.Message);
        }

        SpiffeId caller;
        if (request.ClientAssertionType is not null || request.ClientAssertion is not null)
        {
            // The certificate binds the token (RFC 8705 §3), the assertion authenticates: both must be the same agent.
            caller = AuthenticateByAssertion(request);
            if (caller != verified.Id)
            {
                throw TokenExchangeException.InvalidClient($"The client assertion names {caller}, the client certificate {verified.Id}.");
            }
        }
        else
        {
            // RFC 8705 §2: with mutual-TLS client authentication the request carries client_id, here the SPIFFE ID
            // the certificate's URI SAN holds (§2.1.2 tls_client_auth_san_uri).
            if (request.ClientId is null)
            {
                throw TokenExchangeException.InvalidClient("client_id (the SPIFFE ID of the client certificate) is required with mutual-TLS client authentication.");
            }

            if (request.ClientId != verified.Id.ToString())
            {
                throw TokenExchangeException.InvalidClient($"client_id \"{request.ClientId}\" differs from the client certificate's SPIFFE ID {verified.Id}.");
            }

            caller = verified.Id;
            RequireRegistered(caller);
        }

        return (caller, CertificateThumbprint.Compute(certificates[0]));
    }

    /// <summary>draft-ietf-oauth-spiffe-client-auth §4: the client assertion is a JWT-SVID whose <c>sub</c> is the
    /// client, its audience this server; keys only from the bundles the administrator configured.</summary>
    private SpiffeId AuthenticateByAssertion(TokenExchangeRequest request)
    {
        if (request.ClientAssertionType is null || request.ClientAssertion is null)
        {
            throw TokenExchangeException.InvalidClient("Token exchange requires client authentication with a JWT-SVID (client_assertion_type "
                + TokenTypes.JwtSpiffeAssertion + ") or an X.509-SVID over mutual TLS.");
        }

        if (request.ClientAssertionType != TokenTypes.JwtSpiffeAssertion)
        {
            throw TokenExchangeException.InvalidClient($"The client assertion type \"{request.ClientAssertionType}\" is not supported here.");
        }

        if (!JwtSvid.TryParse(request.ClientAssertion, bundles, Audiences, SvidOptions, out var svid, out var error))
        {
            throw TokenExchangeException.InvalidClient("The client assertion is not a valid JWT-SVID: " + error);
        }

        if (request.ClientId is not null && request.ClientId != svid.Id.ToString())
        {
            // RFC 7521 §4.2: a client_id must name the same client as the assertion.
            throw TokenExchangeException.InvalidClient($"client_id \"{request.ClientId}\" differs from the assertion's subject {svid.Id}.");
        }

        // RFC 7523 §3 item 7: a jti is accepted once within the assertion's lifetime. The SPIFFE client-auth draft
        // makes jti optional (JWT-SVIDs usually carry none), so its absence is refused only when configured.
        if (!svid.Claims.TryGetProperty("jti", out var jti))
        {
            if (options.RequireClientAssertionJti)
            {
                throw TokenExchangeException.InvalidClient("The client assertion has no jti, and this edge requires one (its one use is enforced).");
            }
        }
        else if (jti.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(jti.GetString()))
        {
            throw TokenExchangeException.InvalidClient("The client assertion's jti is not a non-empty string.");
        }
        else if (!replays.TryUse(svid.Id.ToString(), jti.GetString()!, svid.Expiry))
        {
            throw TokenExchangeException.InvalidClient("The client assertion was already used (jti replay).");
        }

        RequireRegistered(svid.Id);
        return svid.Id;
    }

    private void RequireRegistered(SpiffeId client)
    {
        if (!_clients.Any(c => c.Matches(client)))
        {
            // RFC 6749 §5.2: an unknown client is invalid_client (401), even with a valid SVID: the edge has no
            // registration for it (unauthorized_client is for a known client using a grant it may not use).
            throw TokenExchangeException.InvalidClient($"{client} is not a registered client of this edge.");
        }
    }

    /// <summary>RFC 8705 §3: a subject token bound to a certificate (<c>cnf.x5t#S256</c>) is only good from a holder
    /// of that certificate's key, shown by presenting it on this mutual-TLS connection.</summary>
    private static void CheckCertificateBinding(JsonElement claims, string? thumbprint)
    {
        if (!claims.TryGetProperty("cnf", out var cnf))
        {
            return;
        }

        if (cnf.ValueKind != JsonValueKind.Object || !cnf.TryGetProperty(CertificateThumbprint.ClaimName, out var bound)
            || bound.ValueKind != JsonValueKind.String)
        {
            // A confirmation we cannot check is not ignored: the token is for a key holder we cannot recognise.
            throw TokenExchangeException.InvalidGrant("The subject token's cnf has no x5t#S256 thumbprint this edge can check.");
        }

        if (thumbprint is null)
        {
            throw TokenExchangeException.InvalidGrant("The subject token is bound to a client certificate (cnf x5t#S256): present it over mutual TLS.");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(bound.GetString()!), Encoding.ASCII.GetBytes(thumbprint)))
        {
            throw TokenExchangeException.InvalidGrant("The subject token is bound to another client certificate (cnf x5t#S256 differs).");
        }
    }
}
