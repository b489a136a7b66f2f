using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Testing;
using Google.Protobuf;
using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Api;

/// <summary>
/// Issue #13: every Agent-API RPC answers a malformed message over real gRPC with InvalidArgument or
/// PermissionDenied and a specific message — never Unknown (an unhandled exception and a logged stack trace).
/// </summary>
public class AgentApiMalformedInputTests
{
    public static TheoryData<string, StatusCode, string> ReattestVectors => new()
    {
        { "empty chain", StatusCode.PermissionDenied, "attestation: re-attestation needs the node SVID chain" },
        { "garbage chain", StatusCode.PermissionDenied, "attestation: the node SVID chain cannot be read: " },
        { "empty certificate", StatusCode.PermissionDenied, "attestation: the node SVID chain cannot be read: " },
        { "corrupt key usage", StatusCode.PermissionDenied, "attestation: the node SVID was not issued by this server's CA (x509svid: certificate has a malformed key usage extension)" },
        { "corrupt basic constraints", StatusCode.PermissionDenied, "attestation: the node SVID was not issued by this server's CA (x509svid: certificate has a malformed basic constraints extension)" },
        { "corrupt extended key usage", StatusCode.PermissionDenied, "attestation: the node SVID was not issued by this server's CA (x509svid: certificate has a malformed extended key usage extension)" },
        { "garbage csr", StatusCode.InvalidArgument, "ca: CSR is malformed or its signature does not verify" },
        { "signed at min", StatusCode.PermissionDenied, "attestation: the re-attestation proof was signed at 0001-01-01 00:00:00Z, more than 5m from the server's time " },
        { "signed at max", StatusCode.PermissionDenied, "attestation: the re-attestation proof was signed at 9999-12-31 23:59:59Z, more than 5m from the server's time " },
    };

    [Theory]
    [MemberData(nameof(ReattestVectors))]
    public async Task ReattestAgent_MalformedRequest_IsRefusedWithASpecificStatus(string vector, StatusCode code, string messageStart)
    {
        var time = new FakeTimeWithSystemTimers();
        var logs = new ListLoggerProvider();
        await using var server = await ServerFixture.StartAsync(time, logs: logs);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] csr = ServerFixture.Csr(key);
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        var request = new V1.ReattestAgentRequest { Csr = ByteString.CopyFrom(csr), SignedAt = now, Signature = ByteString.CopyFrom([1, 2, 3]) };
        switch (vector)
        {
            case "empty chain":
                break;
            case "garbage chain":
                request.SvidChain.Add(ByteString.CopyFrom([0x30, 0x03, 0x02, 0x01]));
                break;
            case "empty certificate":
                request.SvidChain.Add(ByteString.Empty);
                break;
            case "corrupt key usage":
                request.SvidChain.Add(ByteString.CopyFrom(Leaf(time, key, "2.5.29.15", [0x04, 0x01, 0x80])));
                break;
            case "corrupt basic constraints":
                request.SvidChain.Add(ByteString.CopyFrom(Leaf(time, key, "2.5.29.19", [0x02, 0x01, 0x01])));
                break;
            case "corrupt extended key usage":
                request.SvidChain.Add(ByteString.CopyFrom(Leaf(time, key, "2.5.29.37", [0x30, 0x03, 0x02, 0x01, 0x07])));
                break;
            case "garbage csr":
                request.SvidChain.Add(ByteString.CopyFrom(Leaf(time, key, null, null)));
                request.Csr = ByteString.CopyFrom([0x30, 0x80, 0xFF]);
                break;
            case "signed at min":
                request.SvidChain.Add(ByteString.CopyFrom(Leaf(time, key, null, null)));
                request.SignedAt = long.MinValue;
                break;
            case "signed at max":
                request.SvidChain.Add(ByteString.CopyFrom(Leaf(time, key, null, null)));
                request.SignedAt = long.MaxValue;
                break;
        }

        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.AnonymousAgent().ReattestAgentAsync(request));
        Assert.Equal(code, e.StatusCode);
        Assert.StartsWith(messageStart, e.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Records, r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    public static TheoryData<string, StatusCode, string> NodeVectors => new()
    {
        { "renew garbage csr", StatusCode.InvalidArgument, "ca: CSR is malformed or its signature does not verify" },
        { "renew empty csr", StatusCode.InvalidArgument, "ca: CSR is empty" },
        { "mint no audience", StatusCode.PermissionDenied, "attestation: node \"spiffe://agentvault.com/spire/agent/join_token/" },
        { "mint empty audience value", StatusCode.PermissionDenied, "attestation: node \"spiffe://agentvault.com/spire/agent/join_token/" },
        { "mint unknown entry", StatusCode.PermissionDenied, "attestation: node \"spiffe://agentvault.com/spire/agent/join_token/" },
        { "attest unknown type", StatusCode.PermissionDenied, "attestation: unknown attestation type \"\u0000nope\"" },
        { "attest empty csr", StatusCode.InvalidArgument, "ca: CSR is empty" },
        { "attest garbage payload", StatusCode.PermissionDenied, "attestation: " },
    };

    [Theory]
    [MemberData(nameof(NodeVectors))]
    public async Task NodeRpcs_MalformedRequest_IsRefusedWithASpecificStatus(string vector, StatusCode code, string messageStart)
    {
        var logs = new ListLoggerProvider();
        await using var server = await ServerFixture.StartAsync(logs: logs);
        var (node, _) = await server.AttestAsync();
        var client = server.AgentClient(node);
        Func<Task> call = vector switch
        {
            "renew garbage csr" => async () => await client.RenewAgentAsync(new V1.RenewAgentRequest { Csr = ByteString.CopyFrom([0x30, 0x03, 0x30, 0x01]) }),
            "renew empty csr" => async () => await client.RenewAgentAsync(new V1.RenewAgentRequest()),
            "mint no audience" => async () => await client.MintJwtSvidAsync(new V1.MintJwtSvidRequest { EntryId = "x" }),
            "mint empty audience value" => async () => await client.MintJwtSvidAsync(new V1.MintJwtSvidRequest { EntryId = "x", Audience = { "" } }),
            "mint unknown entry" => async () => await client.MintJwtSvidAsync(new V1.MintJwtSvidRequest { EntryId = "no-such-entry", Audience = { "a" } }),
            "attest unknown type" => async () => await server.AnonymousAgent().AttestAgentAsync(new V1.AttestAgentRequest { AttestationType = "\u0000nope" }),
            "attest empty csr" => async () => await server.AnonymousAgent().AttestAgentAsync(new V1.AttestAgentRequest { AttestationType = "join_token", Payload = ByteString.CopyFrom([0xFF, 0xFE, 0x00]) }),
            _ => async () => await server.AnonymousAgent().AttestAgentAsync(new V1.AttestAgentRequest
            {
                AttestationType = "join_token",
                Payload = ByteString.CopyFrom([0xFF, 0xFE, 0x00]),
                Csr = ByteString.CopyFrom(ServerFixture.Csr(ECDsa.Create(ECCurve.NamedCurves.nistP256))),
            }),
        };

        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal((code, true), (e.StatusCode, e.Status.Detail.StartsWith(messageStart, StringComparison.Ordinal)));
        Assert.DoesNotContain(logs.Records, r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    // A self-signed leaf with a SPIFFE ID of the server's trust domain, one extension replaced by raw bytes.
    private static byte[] Leaf(TimeProvider time, ECDsa key, string? oid, byte[]? value)
    {
        var request = new CertificateRequest("CN=agent", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("spiffe://agentvault.com/spire/agent/join_token/x"));
        X509Extension[] extensions =
        [
            new X509BasicConstraintsExtension(false, false, 0, critical: true),
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true),
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false),
            san.Build(),
        ];
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension.Oid!.Value == oid ? new X509Extension(oid!, value!, critical: true) : extension);
        }

        var now = time.GetUtcNow();
        using var certificate = request.Create(
            new X500DistinguishedName("CN=agent"), X509SignatureGenerator.CreateForECDsa(key), now.AddHours(-1), now.AddHours(1), [1]);
        return certificate.RawData;
    }
}
