using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Agent.WorkloadApi;
using AgentFabric.Spiffe.WorkloadApi.Proto;

namespace AgentFabric.Agent.Tests.WorkloadApi;

/// <summary>Responses shared across streams: one per snapshot and set of SVID instances, never one for the wrong set.</summary>
public sealed class SharedResponsesTests : IDisposable
{
    private readonly LocalCaIdentityProvider _provider = new();

    public void Dispose() => _provider.Dispose();

    [Fact]
    public void SameSnapshotAndParts_BuiltOnce()
    {
        var responses = new SharedResponses();
        var snapshot = _provider.Current;
        object entry = new object(), svid = new object();
        int built = 0;

        var first = responses.ForSvids(snapshot, [entry], [svid], () => Build(ref built, "a"));
        var second = responses.ForSvids(snapshot, [entry], [svid], () => Build(ref built, "b"));

        Assert.Same(first, second);
        Assert.Equal(1, built);
        Assert.False(second.DiffersFrom(first));
    }

    [Fact]
    public void RotatedSvid_OrOtherSnapshot_BuiltAgain()
    {
        var responses = new SharedResponses();
        var snapshot = _provider.Current;
        object entry = new object(), svid = new object(), rotated = new object();
        int built = 0;
        var first = responses.ForSvids(snapshot, [entry], [svid], () => Build(ref built, "a"));

        var afterRotation = responses.ForSvids(snapshot, [entry], [rotated], () => Build(ref built, "b"));
        _provider.SetEntries(new RegistrationEntry("x", SpiffeId.Parse("spiffe://example.org/x"), [SelfProcess.UidSelector]));
        var afterSync = responses.ForSvids(_provider.Current, [entry], [svid], () => Build(ref built, "a"));

        Assert.Equal(3, built);
        Assert.True(afterRotation.DiffersFrom(first));
        Assert.Same(afterRotation, responses.ForSvids(snapshot, [entry], [rotated], () => Build(ref built, "c")));
        Assert.NotSame(first, afterSync);
        Assert.False(afterSync.DiffersFrom(first)); // same bytes: a stream does not send it again
    }

    [Fact]
    public void BundleResponses_OncePerSnapshotAndType()
    {
        var responses = new SharedResponses();
        var snapshot = _provider.Current;
        int built = 0;

        var x509 = responses.ForSnapshot(snapshot, _ => { built++; return new X509BundlesResponse(); });
        var again = responses.ForSnapshot(snapshot, _ => { built++; return new X509BundlesResponse(); });
        var jwt = responses.ForSnapshot(snapshot, _ => { built++; return new JWTBundlesResponse(); });

        Assert.Same(x509, again);
        Assert.IsType<JWTBundlesResponse>(jwt.Message);
        Assert.Equal(2, built);
    }

    [Fact]
    public void EntrySetsPerSnapshot_Bounded()
    {
        var responses = new SharedResponses();
        var snapshot = _provider.Current;
        int built = 0;
        var keep = new object();
        var first = responses.ForSvids(snapshot, [keep], [keep], () => Build(ref built, "k"));
        for (int i = 0; i < SharedResponses.MaxEntrySetsPerSnapshot; i++)
        {
            responses.ForSvids(snapshot, [new object()], [], () => Build(ref built, "n"));
        }

        // The table was dropped when full, so the first set is built again (memory stays bounded).
        var again = responses.ForSvids(snapshot, [keep], [keep], () => Build(ref built, "k"));

        Assert.NotSame(first, again);
        Assert.Equal(SharedResponses.MaxEntrySetsPerSnapshot + 2, built);
    }

    private static X509SVIDResponse Build(ref int built, string hint)
    {
        built++;
        return new X509SVIDResponse { Svids = { new X509SVID { SpiffeId = "spiffe://example.org/w", Hint = hint } } };
    }
}
