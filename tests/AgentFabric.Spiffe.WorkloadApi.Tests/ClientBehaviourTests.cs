using AgentFabric.Spiffe.WorkloadApi.Proto;
using AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;

namespace AgentFabric.Spiffe.WorkloadApi.Tests;

/// <summary>Catalogue group WA: stream handling (Workload API §4.2, §4.5, §5.2.1, §8).</summary>
public sealed class ClientBehaviourTests : WorkloadApiTestBase
{
    [Fact]
    public async Task WA_1_ReestablishesStreamAfterServerClosesIt()
    {
        var a = Ca.Issue("spiffe://example.org/a");
        var b = Ca.Issue("spiffe://example.org/b");
        Api.SetX509(CaBundle, [a]);
        await using var source = await StartSourceAsync();

        Api.CloseStreams(new Status(StatusCode.Unavailable, "agent restarting"));
        await Eventually.TrueAsync(() => Api.CallsTo("FetchX509SVID").Count() == 2, "second stream opened");
        await PushAndWaitAsync(source, b);

        var probe = await TlsProbe.DialAsync(source, Ca.Issue("spiffe://example.org/probe"), CaBundle);
        Assert.Equal("spiffe://example.org/b", probe.PresentedId.ToString());
    }

    public static TheoryData<string, string> MandatoryFieldVariants => new()
    {
        { "svids", "workloadapi: X509SVIDResponse has no SVIDs" },
        { "spiffe_id", "workloadapi: X.509-SVID 0 has an empty spiffe_id" },
        { "x509_svid", "workloadapi: X.509-SVID 0 has an empty x509_svid" },
        { "x509_svid_key", "workloadapi: X.509-SVID 0 has an empty x509_svid_key" },
        { "bundle", "workloadapi: X.509-SVID 0 has an empty bundle" },
    };

    [Theory]
    [MemberData(nameof(MandatoryFieldVariants))]
    public async Task WA_2_DiscardsResponseWithEmptyMandatoryField(string field, string message)
    {
        var a = Ca.Issue("spiffe://example.org/a");
        var b = Ca.Issue("spiffe://example.org/b");
        Api.SetX509(CaBundle, [a]);
        await using var source = await StartSourceAsync();
        var observed = new List<string>();
        source.Updated += (_, context) => observed.Add(context.DefaultSvid.Id.ToString());

        var broken = FakeWorkloadApi.X509Response(CaBundle, [Ca.Issue("spiffe://example.org/broken")]);
        switch (field)
        {
            case "svids": broken.Svids.Clear(); break;
            case "spiffe_id": broken.Svids[0].SpiffeId = string.Empty; break;
            case "x509_svid": broken.Svids[0].X509Svid = ByteString.Empty; break;
            case "x509_svid_key": broken.Svids[0].X509SvidKey = ByteString.Empty; break;
            default: broken.Svids[0].Bundle = ByteString.Empty; break;
        }

        Api.SetX509(broken);
        await PushAndWaitAsync(source, b); // barrier: the stream is ordered, so the broken message came first

        Assert.Equal(["spiffe://example.org/b"], observed);
        Assert.Equal(message, source.LastError?.Message);
    }

    [Fact]
    public async Task WA_3_UsesFirstSvidAsDefaultIdentity()
    {
        var a = Ca.Issue("spiffe://example.org/a");
        var b = Ca.Issue("spiffe://example.org/b");
        var probeSvid = Ca.Issue("spiffe://example.org/probe");
        Api.SetX509(CaBundle, [a, b]);
        await using var source = await StartSourceAsync();

        var first = await TlsProbe.DialAsync(source, probeSvid, CaBundle);
        await PushAndWaitAsync(source, b, a);
        var second = await TlsProbe.DialAsync(source, probeSvid, CaBundle);

        Assert.Equal("spiffe://example.org/a", first.PresentedId.ToString());
        Assert.Equal("spiffe://example.org/b", second.PresentedId.ToString());
        Assert.Equal(2, source.Current!.Svids.Count);
    }

    [Fact]
    public async Task WA_4_StopsUsingSvidsAfterPermissionDenied()
    {
        var a = Ca.Issue("spiffe://example.org/a");
        var probeSvid = Ca.Issue("spiffe://example.org/probe");
        Api.SetX509(CaBundle, [a]);
        await using var source = await StartSourceAsync();
        var before = await TlsProbe.DialAsync(source, probeSvid, CaBundle);

        Api.FailNextX509Calls(1000, new Status(StatusCode.PermissionDenied, "no identity issued"));
        Api.CloseStreams(new Status(StatusCode.PermissionDenied, "no identity issued"));
        await Eventually.TrueAsync(() => source.Current is null, "SVIDs withdrawn", seconds: 5);
        var after = await TlsProbe.DialAsync(source, probeSvid, CaBundle);

        Assert.Equal("spiffe://example.org/a", before.PresentedId.ToString());
        Assert.Null(after.PresentedId);
        var error = Assert.Throws<WorkloadApiException>(source.GetX509Svid);
        Assert.Equal(
            "workloadapi: no X.509-SVID in force (workloadapi: FetchX509SVID failed: PermissionDenied: no identity issued)",
            error.Message);
    }

    [Fact]
    public async Task DuplicateHint_FirstSvidWins()
    {
        var a = Ca.Issue("spiffe://example.org/a", hint: "internal");
        var b = Ca.Issue("spiffe://example.org/b", hint: "internal");
        var c = Ca.Issue("spiffe://example.org/c", hint: "external");
        Api.SetX509(CaBundle, [a, b, c]);

        using var client = new WorkloadApiClient(FastOptions());
        var context = await client.FetchX509ContextAsync();

        Assert.Equal(["spiffe://example.org/a", "spiffe://example.org/c"], context.Svids.Select(s => s.Id.ToString()));
        Assert.Equal(["internal", "external"], context.Svids.Select(s => s.Hint));
    }

    [Fact]
    public async Task SpiffeIdNotMatchingCertificate_IsRejected()
    {
        var response = FakeWorkloadApi.X509Response(CaBundle, [Ca.Issue("spiffe://example.org/a")]);
        response.Svids[0].SpiffeId = "spiffe://example.org/other";
        Api.SetX509(response);
        using var client = new WorkloadApiClient(FastOptions());

        var error = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchX509ContextAsync());

        Assert.Equal(
            "workloadapi: X.509-SVID 0 carries \"spiffe://example.org/a\" but the response says \"spiffe://example.org/other\"",
            error.Message);
    }
}
