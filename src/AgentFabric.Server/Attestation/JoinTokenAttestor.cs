using System.Text;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Registration;

namespace AgentFabric.Server.Attestation;

/// <summary>Join-token node attestation: the token is consumed (single use) and the node becomes
/// <c>spiffe://&lt;td&gt;/spire/agent/join_token/&lt;token&gt;</c>, as SPIRE names it.</summary>
public sealed class JoinTokenAttestor : INodeAttestor
{
    private readonly IDataStore _store;
    private readonly RegistrationService _registration;
    private readonly TimeProvider _time;

    public JoinTokenAttestor(IDataStore store, RegistrationService registration, TimeProvider time)
    {
        _store = store;
        _registration = registration;
        _time = time;
    }

    public string Type => "join_token";

    public async Task<NodeAttestationResult> AttestAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var token = Encoding.UTF8.GetString(payload.Span).Trim();
        if (token.Length == 0)
        {
            throw new AttestationException("attestation: join token is empty");
        }

        // Consuming first makes the token single use even when the same token arrives twice at once.
        var expiresAt = await _store.ConsumeJoinTokenAsync(token, cancellationToken).ConfigureAwait(false)
            ?? throw new AttestationException("attestation: join token does not exist or has already been used");
        if (expiresAt <= _time.GetUtcNow().ToUnixTimeSeconds())
        {
            throw new AttestationException("attestation: join token expired");
        }

        return new NodeAttestationResult(_registration.JoinTokenNodeId(token), [], CanReattest: false);
    }
}
