using M = AgentFabric.Spiffe.Tests.SpiffeIdMessages;

namespace AgentFabric.Spiffe.Tests;

public class SpiffeIdParseTests
{
    public static TheoryData<string, string, string?> Vectors => SpiffeIdVectors.All;

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Parse_Vector(string name, string input, string? expectedError)
    {
        Assert.NotNull(name);
        if (expectedError is null)
        {
            var id = SpiffeId.Parse(input);
            Assert.Equal(input, id.ToString());
            Assert.True(SpiffeId.TryParse(input, out var again, out var error));
            Assert.Null(error);
            Assert.Equal(id, again);
            Assert.Equal(id, SpiffeId.Parse(input.AsSpan()));
        }
        else
        {
            var ex = Assert.Throws<SpiffeIdException>(() => SpiffeId.Parse(input));
            Assert.Equal(expectedError, ex.Message);
            Assert.False(SpiffeId.TryParse(input, out var id, out var error));
            Assert.Equal(expectedError, error);
            Assert.True(id.IsZero);
            Assert.False(SpiffeId.TryParse(input.AsSpan(), out _));
        }
    }

    public static TheoryData<int> AllBytes()
    {
        var data = new TheoryData<int>();
        for (int b = 0; b <= 255; b++)
        {
            data.Add(b);
        }

        return data;
    }

    // SPIFFE-ID §2.1: every byte value placed inside the trust domain.
    [Theory]
    [MemberData(nameof(AllBytes))]
    public void EveryByte_InTrustDomain(int b)
    {
        char c = (char)b;
        string input = $"spiffe://a{c}b/path";
        string? expected = c switch
        {
            >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_' => null,
            '/' => null, // ends the trust domain: "spiffe://a" + "/b/path"
            ':' => M.Port,
            '@' => M.Userinfo,
            '%' => M.PercentEncoded,
            '?' => M.Query,
            '#' => M.Fragment,
            _ => M.BadTrustDomainChar,
        };

        AssertOutcome(input, expected);

        // The same byte in a bare trust domain name.
        string bare = $"a{c}b";
        string? bareExpected = c == '/' ? M.BadTrustDomainChar : expected;
        if (bareExpected is null)
        {
            Assert.Equal(bare, TrustDomain.Parse(bare).Name);
        }
        else
        {
            Assert.Equal(bareExpected, Assert.Throws<SpiffeIdException>(() => TrustDomain.Parse(bare)).Message);
        }
    }

    // SPIFFE-ID §2.2: every byte value placed inside a path segment.
    [Theory]
    [MemberData(nameof(AllBytes))]
    public void EveryByte_InPath(int b)
    {
        char c = (char)b;
        string input = $"spiffe://example.org/a{c}b";
        string? expected = c switch
        {
            >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '-' or '_' => null,
            '/' => null, // two segments "a" and "b"
            '%' => M.PercentEncoded,
            '?' => M.Query,
            '#' => M.Fragment,
            _ => M.BadPathChar,
        };

        AssertOutcome(input, expected);

        // The same byte in a segment given to FromSegments (where '/' is just a bad character).
        var td = TrustDomain.Parse("example.org");
        string? segmentExpected = c == '/' ? M.BadPathChar : expected;
        if (segmentExpected is null)
        {
            Assert.Equal(input, SpiffeId.FromSegments(td, $"a{c}b").ToString());
        }
        else
        {
            Assert.Equal(
                segmentExpected,
                Assert.Throws<SpiffeIdException>(() => SpiffeId.FromSegments(td, $"a{c}b")).Message);
        }
    }

    [Fact]
    public void Parse_Null_IsCallerBug()
    {
        Assert.Throws<ArgumentNullException>(() => SpiffeId.Parse((string)null!));
        Assert.False(SpiffeId.TryParse((string?)null, out _, out var error));
        Assert.Equal(M.Empty, error);
    }

    [Fact]
    public void Parse_String_AllocatesNothing()
    {
        const string input = "spiffe://example.org/ns/prod/sa/web";
        SpiffeId.Parse(input); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        var id = SpiffeId.Parse(input);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.Same(input, id.ToString());
    }

    [Fact]
    public void Parse_Span_AllocatesOnlyTheResultString()
    {
        var input = "spiffe://example.org/ns/prod/sa/web".AsSpan();
        SpiffeId.Parse(input); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        SpiffeId.Parse(input);
        long after = GC.GetAllocatedBytesForCurrentThread();
        long oneString = 22 + (2 * input.Length) + 2; // header + length + chars + terminator, rounded below
        Assert.InRange(after - before, 1, oneString + 8);
    }

    private static void AssertOutcome(string input, string? expected)
    {
        if (expected is null)
        {
            Assert.Equal(input, SpiffeId.Parse(input).ToString());
        }
        else
        {
            Assert.Equal(expected, Assert.Throws<SpiffeIdException>(() => SpiffeId.Parse(input)).Message);
            Assert.False(SpiffeId.TryParse(input, out _, out var error));
            Assert.Equal(expected, error);
        }
    }
}
