using ResearchAgents.Providers;
using ResearchAgents.Providers.Offline;

namespace ResearchAgents.Tests;

public class OfflineSearchProviderTests
{
    private static readonly OfflineSearchProvider Search = new();

    [Fact]
    public void Corpus_HasTwelveDocuments_WithTitlesAndUrns()
    {
        var documents = OfflineCorpus.Documents;
        Assert.Equal(12, documents.Count);
        Assert.All(documents, d =>
        {
            Assert.NotEmpty(d.Title);
            Assert.StartsWith("urn:agentfabric:research-corpus:", d.Url.ToString(), StringComparison.Ordinal);
            Assert.True(d.Content.Length > 200, d.Title);
        });
    }

    [Theory]
    [InlineData("What is PKCE and why must public clients use it?", "Authorization code with PKCE")]
    [InlineData("How does token exchange show the delegation chain with act claims?", "OAuth token exchange")]
    [InlineData("How do certificates rotate without a restart?", "Certificate and key rotation")]
    [InlineData("What is a trust domain?", "SPIFFE IDs and trust domains")]
    [InlineData("How does the node agent attest a workload?", "The SPIFFE Workload API")]
    [InlineData("Why write authorization policy in Rego?", "Authorization policy in Rego")]
    [InlineData("certificate-bound access tokens cnf thumbprint", "Sender-constrained tokens")]
    public async Task Ranks_TheDocumentOnTheTopic_First(string query, string expectedTitle)
    {
        var results = await Search.SearchAsync(query, 3, CancellationToken.None);
        Assert.Equal(expectedTitle, results[0].Title);
    }

    [Theory]
    [InlineData("zebra quokka", 0)]
    [InlineData("the of and", 0)]
    [InlineData("SPIFFE", 3)]
    public async Task Returns_OnlyMatches_AtMostMax(string query, int expectedCount)
    {
        var results = await Search.SearchAsync(query, 3, CancellationToken.None);
        Assert.Equal(expectedCount, results.Count);
    }

    [Fact]
    public async Task Ranks_ByBm25_RarerTermsWeighMore()
    {
        var documents = new List<SearchResult>
        {
            new("common", new Uri("urn:t:1"), "agent agent agent agent"),
            new("rare", new Uri("urn:t:2"), "agent pkce"),
            new("none", new Uri("urn:t:3"), "nothing here"),
        };
        var results = await new OfflineSearchProvider(documents).SearchAsync("agent pkce", 5, CancellationToken.None);
        Assert.Equal(["rare", "common"], results.Select(r => r.Title));
    }

    [Theory]
    [InlineData("", 3)]
    [InlineData("   ", 3)]
    [InlineData("agents", 0)]
    public async Task Rejects_BadArguments(string query, int max)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Search.SearchAsync(query, max, CancellationToken.None));
    }

    [Fact]
    public void Parse_RefusesADocumentWithoutATitle()
    {
        var e = Assert.Throws<InvalidOperationException>(() => OfflineCorpus.Parse("x", "no title\ntext"));
        Assert.Equal("offline corpus: x does not start with a \"# Title\" line", e.Message);
    }
}
