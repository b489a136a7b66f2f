using System.Net.Sockets;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using Grpc.Core;
using Grpc.Net.Client;

namespace AgentFabric.Agent.Tests.WorkloadApi;

/// <summary>Many open streams of one caller: more than Kestrel's default 100 on a single connection, all served and
/// all given the rotated SVID, as byte-identical messages.</summary>
public sealed class StreamFanOutTests : AgentEndpointTestBase
{
    private const int Streams = 150;

    private static RegistrationEntry SelfEntry(TimeSpan ttl) =>
        new("e1", SpiffeId.Parse("spiffe://example.org/workload"), [SelfProcess.UidSelector]) { X509SvidTtl = (int)ttl.TotalSeconds };

    [Fact]
    public async Task StreamsBeyond100OnOneConnection_AllServed_RotationReachesEvery()
    {
        Provider.SetEntries(SelfEntry(TimeSpan.FromHours(1)));
        using var channel = SingleConnectionChannel(Endpoint.SocketPath);
        var client = new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(channel);
        var headers = new Metadata { { "workload.spiffe.io", "true" } };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var calls = Enumerable.Range(0, Streams)
            .Select(_ => client.FetchX509SVID(new X509SVIDRequest(), headers, cancellationToken: timeout.Token))
            .ToArray();

        try
        {
            var first = await Task.WhenAll(calls.Select(async c =>
            {
                Assert.True(await c.ResponseStream.MoveNext(timeout.Token));
                return c.ResponseStream.Current;
            }));
            Assert.Equal(Streams, Endpoint.Cache.OpenStreams);

            Provider.SetEntries(SelfEntry(TimeSpan.FromHours(2))); // a changed TTL makes a new SVID
            var rotated = await Task.WhenAll(calls.Select(async c =>
            {
                Assert.True(await c.ResponseStream.MoveNext(timeout.Token));
                return c.ResponseStream.Current;
            }));

            Assert.All(first, m => Assert.Equal(first[0], m));
            Assert.All(rotated, m => Assert.Equal(rotated[0], m));
            Assert.NotEqual(first[0].Svids[0].X509Svid, rotated[0].Svids[0].X509Svid);
            Assert.Equal(2, Provider.SignedCount);
        }
        finally
        {
            foreach (var call in calls)
            {
                call.Dispose();
            }
        }
    }

    /// <summary>One HTTP/2 connection, never a second: streams past the server's limit would wait.</summary>
    private static GrpcChannel SingleConnectionChannel(string socketPath) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = false,
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            },
        });
}
