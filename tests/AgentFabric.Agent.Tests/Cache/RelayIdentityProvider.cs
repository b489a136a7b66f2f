using System.Security.Cryptography.X509Certificates;
using AgentFabric.Agent.Identity;

namespace AgentFabric.Agent.Tests.Cache;

/// <summary>
/// The test CA's entries and bundles with a signing step the test decides (a server answering with the wrong chain),
/// recording every certificate handed to the cache so a test can check that the cache released them.
/// </summary>
internal sealed class RelayIdentityProvider(
    IWorkloadIdentityProvider inner,
    Func<RegistrationEntry, byte[], Task<IReadOnlyList<X509Certificate2>>> sign) : IWorkloadIdentityProvider
{
    private readonly List<X509Certificate2> _handedOut = [];

    public IdentitySnapshot Current => inner.Current;

    public event EventHandler? Changed
    {
        add => inner.Changed += value;
        remove => inner.Changed -= value;
    }

    /// <summary>Every certificate returned by <see cref="SignX509SvidAsync"/> so far.</summary>
    public IReadOnlyList<X509Certificate2> HandedOut
    {
        get
        {
            lock (_handedOut)
            {
                return [.. _handedOut];
            }
        }
    }

    public async Task<IReadOnlyList<X509Certificate2>> SignX509SvidAsync(RegistrationEntry entry, byte[] csrDer, CancellationToken cancellationToken)
    {
        var chain = await sign(entry, csrDer).ConfigureAwait(false);
        lock (_handedOut)
        {
            _handedOut.AddRange(chain);
        }

        return chain;
    }

    public Task<string> MintJwtSvidAsync(RegistrationEntry entry, IReadOnlyList<string> audience, CancellationToken cancellationToken) =>
        inner.MintJwtSvidAsync(entry, audience, cancellationToken);
}
