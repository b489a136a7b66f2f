using AgentFabric.Server.Datastore;
using AgentFabric.Server.Registration;

namespace AgentFabric.Server.Federation;

/// <summary>
/// Deletes a federated bundle in one of SPIRE's three modes. The entries are deleted or dissociated through
/// <see cref="RegistrationService"/> (so the entry cache and the agents' streams see each change), then the bundle is
/// deleted in restrict mode: an entry that starts federating with the trust domain meanwhile makes the deletion fail
/// rather than leave an entry pointing at no bundle.
/// </summary>
public static class FederatedBundleDeletion
{
    /// <exception cref="RegistrationException">Bad trust domain or mode, our own trust domain, no such bundle, or
    /// (restrict) entries federate with it.</exception>
    public static async Task DeleteAsync(
        BundleService bundles, RegistrationService registration, string trustDomain, BundleDeleteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        ArgumentNullException.ThrowIfNull(registration);
        var td = BundleService.ParseTrustDomain(trustDomain);
        if (mode != BundleDeleteMode.Restrict && td != bundles.TrustDomain)
        {
            var federating = await registration.ListEntriesAsync(new EntryFilter { FederatesWith = td.Name }, cancellationToken).ConfigureAwait(false);
            foreach (var entry in federating)
            {
                if (mode == BundleDeleteMode.Delete)
                {
                    await registration.DeleteEntryAsync(entry.EntryId, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await registration.UpdateEntryAsync(entry with { FederatesWith = entry.FederatesWith.Where(f => f != td.Name).ToArray() }, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await bundles.DeleteFederatedAsync(trustDomain, cancellationToken).ConfigureAwait(false);
    }
}
