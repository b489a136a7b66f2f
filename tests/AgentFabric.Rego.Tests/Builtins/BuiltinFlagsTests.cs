using System.Text.Json;
using AgentFabric.Rego.Builtins;
using AgentFabric.Testing;
using Xunit.Abstractions;

namespace AgentFabric.Rego.Tests.Builtins;

/// <summary>The catalog's flags against OPA's capabilities (read from <c>shared/reference/opa/capabilities.json</c>
/// beside the repository when present): the nondeterministic builtins are exactly OPA's.</summary>
public class BuiltinFlagsTests(ITestOutputHelper output)
{
    [Fact]
    public void NondeterministicBuiltinsAreOpas()
    {
        var file = SharedReference.Find("reference/opa/capabilities.json");
        if (file is null)
        {
            output.WriteLine("SKIPPED: shared/reference/opa/capabilities.json is not present beside the repository");
            return;
        }

        using var capabilities = JsonDocument.Parse(File.ReadAllText(file));
        var opa = capabilities.RootElement.GetProperty("builtins").EnumerateArray()
            .Where(b => b.TryGetProperty("nondeterministic", out var n) && n.GetBoolean())
            .Select(b => b.GetProperty("name").GetString()!)
            .Order(StringComparer.Ordinal);
        var registry = BuiltinCatalog.CreateDefault();
        var ours = opa.Where(name => registry.TryGet(name, out _)).ToList();
        Assert.NotEmpty(ours);
        Assert.All(ours, name => Assert.True(registry[name].Flags.HasFlag(BuiltinFlags.Nondeterministic), name));
        Assert.Equal(
            ours,
            registry.Names.Where(n => registry[n].Flags.HasFlag(BuiltinFlags.Nondeterministic)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("crypto.x509.parse_and_verify_certificates")]
    [InlineData("crypto.x509.parse_and_verify_certificates_with_options")]
    public void CertificateVerificationReadsTheClock(string name) =>
        Assert.True(BuiltinCatalog.CreateDefault()[name].Flags.HasFlag(BuiltinFlags.ReadsClock));
}
