using BenchmarkDotNet.Attributes;

namespace AgentFabric.Spiffe.Benchmarks;

/// <summary>
/// SPIFFE ID parsing against System.Uri parsing of the same string (the baseline). Goal: under 200 ns, and no
/// allocation beyond the result (Parse(string) keeps the input; Parse(span) allocates the one result string).
/// </summary>
[MemoryDiagnoser]
public class SpiffeIdParseBenchmarks
{
    private const string Id = "spiffe://prod.example.org/ns/payments/sa/web-frontend";
    private readonly char[] _chars = Id.ToCharArray();
    private readonly SpiffeId _parsed = SpiffeId.Parse(Id);

    [Benchmark(Baseline = true)]
    public Uri UriParse() => new(Id, UriKind.Absolute);

    [Benchmark]
    public SpiffeId SpiffeIdParseString() => SpiffeId.Parse(Id);

    [Benchmark]
    public SpiffeId SpiffeIdParseSpan() => SpiffeId.Parse(_chars.AsSpan());

    [Benchmark]
    public bool SpiffeIdTryParseInvalid() => SpiffeId.TryParse("spiffe://prod.example.org/ns/../sa/web", out _);

    [Benchmark]
    public TrustDomain TrustDomainOfId() => _parsed.TrustDomain;
}
