using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Api.V1;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tls;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using X509Svid = AgentFabric.Spiffe.Svid.X509.X509Svid;

namespace AgentFabric.Agent.Node;

public sealed partial class ServerIdentityProvider
{
    /// <summary>
    /// Gets a fresh node SVID when the current one expired (the server was away when it was due for renewal):
    /// re-attests by proving it holds the expired SVID's key; only if the server refuses that (grace period over,
    /// node evicted...) does it fall back to the configured join token. Workloads keep their cached SVIDs meanwhile.
    /// </summary>
    /// <exception cref="NodeAttestationException">Refused, and no join token to fall back on (or it was refused).</exception>
    /// <exception cref="RpcException">The server could not be reached; try again later.</exception>
    private static async Task<(X509Svid Node, X509Bundle Bundle)> RecoverAsync(
        ServerConnectionOptions options, X509Svid expired, X509Bundle known, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return await ReattestAsync(options, expired, known, time, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
        {
            if (string.IsNullOrEmpty(options.JoinToken))
            {
                throw new NodeAttestationException($"agent: the server refused re-attestation with the expired node SVID ({e.Status.Detail}) and no join_token is set: generate one with `agentfabric token generate`", e);
            }

            try
            {
                return await AttestAsync(options, known, time, cancellationToken).ConfigureAwait(false);
            }
            catch (NodeAttestationException tokenRefused)
            {
                throw new NodeAttestationException($"agent: the server refused re-attestation with the expired node SVID ({e.Status.Detail}); {tokenRefused.Message}", tokenRefused);
            }
        }
    }

    /// <summary>ReattestAgent: server-authenticated TLS only (an expired client certificate would fail the
    /// handshake), the expired chain and a signature by its key over a fresh CSR.</summary>
    private static async Task<(X509Svid Node, X509Bundle Bundle)> ReattestAsync(
        ServerConnectionOptions options, X509Svid expired, X509Bundle known, TimeProvider time, CancellationToken cancellationToken)
    {
        var serverId = SpiffeId.FromSegments(options.TrustDomain, "spire", "server");
        using var handler = new SocketsHttpHandler { SslOptions = SpiffeTls.CreateTlsClientOptions(known, SpiffeAuthorizer.Id(serverId), time) };
        using var channel = GrpcChannel.ForAddress(ServerUri(options), new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] csr = new CertificateRequest("CN=agentfabric-agent", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        long signedAt = time.GetUtcNow().ToUnixTimeSeconds();
        var request = new ReattestAgentRequest
        {
            Csr = ByteString.CopyFrom(csr),
            SignedAt = signedAt,
            Signature = ByteString.CopyFrom(ReattestProof.Sign(expired.PrivateKey, signedAt, csr)),
        };
        request.SvidChain.AddRange(expired.Certificates.Select(c => ByteString.CopyFrom(c.RawData)));
        var response = await new AgentService.AgentServiceClient(channel).ReattestAgentAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ReadAttested(options, response, key, time);
    }

    /// <summary>The node SVID (with its key) and our bundle from an attestation response, verified against that bundle.</summary>
    private static (X509Svid Node, X509Bundle Bundle) ReadAttested(ServerConnectionOptions options, AttestAgentResponse response, ECDsa key, TimeProvider time)
    {
        var own = X509Bundle.FromDer(options.TrustDomain, response.Bundle.X509Authorities.SelectMany(a => a.ToByteArray()).ToArray());
        var chain = response.Svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToArray();
        var exportable = ECDsa.Create();
        exportable.ImportParameters(key.ExportParameters(includePrivateParameters: true));
        var node = X509Svid.Create(chain, exportable);
        X509SvidVerifier.Verify(node.Certificates, own, time);
        return (node, own);
    }

    /// <summary>Network trouble, not a refusal: worth retrying.</summary>
    private static bool IsUnreachable(Exception e) =>
        (e as RpcException ?? e.InnerException as RpcException)?.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown;
}
