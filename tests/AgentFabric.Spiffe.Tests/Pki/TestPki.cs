using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Bundles.X509;

namespace AgentFabric.Spiffe.Tests.Pki;

/// <summary>Shared fixtures: a root and an intermediate for example.org, and a root for a foreign trust domain.</summary>
internal static class TestPki
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    public static readonly TrustDomain ExampleOrg = TrustDomain.Parse("example.org");
    public static readonly TrustDomain Foreign = TrustDomain.Parse("foreign.test");

    public static TestCa Root { get; } = TestCa.CreateRoot("example.org");

    public static TestCa Intermediate { get; } = Root.CreateIntermediate("example.org");

    public static TestCa ForeignRoot { get; } = TestCa.CreateRoot("foreign.test");

    public static X509Bundle Bundle => new(ExampleOrg, [Root.PublicCertificate]);

    public static X509BundleSet Bundles => new(Bundle, new X509Bundle(Foreign, [ForeignRoot.PublicCertificate]));

    /// <summary>A leaf issued by <paramref name="ca"/> followed by the CA's chain up to (excluding) the root.</summary>
    public static IReadOnlyList<X509Certificate2> Chain(TestCa ca, TestCertificateOptions options) =>
        [ca.Issue(options), .. ca.IntermediatesToRoot];

    public static IReadOnlyList<X509Certificate2> Chain(TestCa ca, string id) => Chain(ca, TestCertificateOptions.Leaf(id));
}
