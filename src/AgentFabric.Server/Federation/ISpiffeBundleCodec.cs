using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Server.Federation;

/// <summary>
/// Reads and writes the SPIFFE bundle format (a JWKS: SPIFFE_Trust_Domain_and_Bundle §4). Internal seam: the SDK's
/// <c>SpiffeBundle</c> type (being added to AgentFabric.Spiffe on another branch) will replace
/// <see cref="SpiffeBundleJson"/> behind this interface.
/// </summary>
internal interface ISpiffeBundleCodec
{
    string Marshal(SpiffeBundleDocument bundle);

    SpiffeBundleDocument Parse(string json);
}

/// <summary>The parts of a SPIFFE bundle the server keeps: X.509 authorities, JWT authorities (JWK objects as a
/// JSON array text), refresh hint and sequence number.</summary>
internal sealed record SpiffeBundleDocument(
    IReadOnlyList<X509Certificate2> X509Authorities,
    string JwtKeysJson,
    long RefreshHintSeconds,
    long SequenceNumber);
