using AgentFabric.Server.Config;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Registration;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles;

namespace AgentFabric.Server.Federation;

/// <summary>
/// The trust domains we federate with: those the config declares (<c>federation.federates_with</c>, read-only here)
/// and the dynamic ones an admin creates, updates and deletes at runtime (SPIRE's <c>federation</c> commands), kept
/// in the datastore. <see cref="BundleRefresher"/> refreshes the bundles of both and follows <see cref="Changed"/>.
/// </summary>
public sealed class FederationRelationships
{
    private readonly IDataStore _store;
    private readonly BundleService _bundles;
    private readonly IReadOnlyList<FederatedTrustDomainSettings> _declared;

    public FederationRelationships(IDataStore store, BundleService bundles, IReadOnlyList<FederatedTrustDomainSettings> declared)
    {
        _store = store;
        _bundles = bundles;
        _declared = declared;
    }

    /// <summary>Signalled after a dynamic relationship was created, updated or deleted on this server.</summary>
    public ChangeSignal Changed { get; } = new();

    /// <summary>Validates a relationship given as text (the Admin API's and the CLI's form).</summary>
    /// <exception cref="RegistrationException">InvalidArgument, naming the field and the rule.</exception>
    public FederatedTrustDomainSettings Parse(string trustDomain, string bundleEndpointUrl, string bundleEndpointProfile, string endpointSpiffeId)
    {
        var td = ParseTrustDomain(trustDomain);
        if (td == _bundles.TrustDomain)
        {
            throw Invalid($"federation: \"{td}\" is the server's own trust domain; it cannot federate with itself");
        }

        if (string.IsNullOrEmpty(bundleEndpointUrl))
        {
            throw Invalid("federation: a bundle endpoint URL is required");
        }

        // SPIFFE Federation §5.1: a bundle endpoint is served over HTTPS.
        if (!Uri.TryCreate(bundleEndpointUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            throw Invalid($"federation: bundle endpoint URL \"{bundleEndpointUrl}\" must be an absolute https URL");
        }

        // SPIFFE Federation §5.2: the endpoint is authenticated with Web PKI (https_web) or an SVID (https_spiffe).
        var profile = bundleEndpointProfile switch
        {
            "https_spiffe" => BundleEndpointProfile.HttpsSpiffe,
            "https_web" => BundleEndpointProfile.HttpsWeb,
            "" => throw Invalid("federation: a bundle endpoint profile is required (https_web or https_spiffe)"),
            _ => throw Invalid($"federation: bundle endpoint profile \"{bundleEndpointProfile}\" is not one of https_web, https_spiffe"),
        };

        SpiffeId endpointId = default;
        if (profile == BundleEndpointProfile.HttpsSpiffe)
        {
            // SPIFFE Federation §5.2.2: the client checks the endpoint's SVID has the configured SPIFFE ID.
            if (string.IsNullOrEmpty(endpointSpiffeId))
            {
                throw Invalid("federation: an endpoint SPIFFE ID is required for the https_spiffe profile");
            }

            if (!SpiffeId.TryParse(endpointSpiffeId, out endpointId, out var error))
            {
                throw Invalid($"federation: endpoint SPIFFE ID \"{endpointSpiffeId}\" is not a SPIFFE ID: {error}");
            }
        }
        else if (!string.IsNullOrEmpty(endpointSpiffeId))
        {
            throw Invalid("federation: an endpoint SPIFFE ID is only used with the https_spiffe profile");
        }

        return new FederatedTrustDomainSettings(td, url, profile, endpointId);
    }

    /// <summary>The trust domain whose bundle authenticates the relationship's endpoint: the endpoint SPIFFE ID's
    /// for https_spiffe (SPIFFE Federation §5.2.2), the federated trust domain's for https_web.</summary>
    public static TrustDomain BundleTrustDomain(FederatedTrustDomainSettings relationship)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        return relationship.Profile == BundleEndpointProfile.HttpsSpiffe ? relationship.EndpointSpiffeId.TrustDomain : relationship.TrustDomain;
    }

    /// <summary>Stores a new relationship and, when given, the bundle to start from (see <see cref="BundleTrustDomain"/>).</summary>
    /// <exception cref="RegistrationException">AlreadyExists for a stored or config-declared trust domain;
    /// InvalidArgument for a bundle of the wrong trust domain or without X.509 authority.</exception>
    public async Task<FederatedTrustDomainSettings> CreateAsync(FederatedTrustDomainSettings relationship, SpiffeBundle? bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        var td = relationship.TrustDomain;
        if (Declared(td) is not null || await _store.GetFederationRelationshipAsync(td.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RegistrationException(RegistrationError.AlreadyExists, $"federation: a federation relationship with \"{td}\" already exists");
        }

        await SetBundleAsync(relationship, bundle, cancellationToken).ConfigureAwait(false);
        try
        {
            await _store.CreateFederationRelationshipAsync(ToStored(relationship), cancellationToken).ConfigureAwait(false);
        }
        catch (DatastoreException e) when (e.Error == DatastoreError.AlreadyExists)
        {
            throw new RegistrationException(RegistrationError.AlreadyExists, $"federation: a federation relationship with \"{td}\" already exists", e);
        }

        Changed.Notify();
        return relationship;
    }

    /// <summary>Replaces a dynamic relationship (and sets the bundle when given).</summary>
    /// <exception cref="RegistrationException">NotFound when there is none; FailedPrecondition for a config-declared one.</exception>
    public async Task<FederatedTrustDomainSettings> UpdateAsync(FederatedTrustDomainSettings relationship, SpiffeBundle? bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        RequireDynamic(relationship.TrustDomain);
        if (await _store.GetFederationRelationshipAsync(relationship.TrustDomain.Name, cancellationToken).ConfigureAwait(false) is null)
        {
            throw NotFound(relationship.TrustDomain);
        }

        await SetBundleAsync(relationship, bundle, cancellationToken).ConfigureAwait(false);
        if (!await _store.UpdateFederationRelationshipAsync(ToStored(relationship), cancellationToken).ConfigureAwait(false))
        {
            throw NotFound(relationship.TrustDomain);
        }

        Changed.Notify();
        return relationship;
    }

    /// <summary>A relationship, dynamic or config-declared.</summary>
    /// <exception cref="RegistrationException">InvalidArgument for a bad trust domain; NotFound when there is none.</exception>
    public async Task<FederatedTrustDomainSettings> GetAsync(string trustDomain, CancellationToken cancellationToken = default)
    {
        var td = ParseTrustDomain(trustDomain);
        if (Declared(td) is { } declared)
        {
            return declared;
        }

        var stored = await _store.GetFederationRelationshipAsync(td.Name, cancellationToken).ConfigureAwait(false) ?? throw NotFound(td);
        return FromStored(stored);
    }

    /// <summary>The dynamic relationships (SPIRE's <c>federation list</c>; the config's are not listed).</summary>
    public async Task<IReadOnlyList<FederatedTrustDomainSettings>> ListDynamicAsync(CancellationToken cancellationToken = default) =>
        (await _store.ListFederationRelationshipsAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => Declared(TrustDomain.Parse(r.TrustDomain)) is null)
            .Select(FromStored)
            .ToList();

    /// <summary>Every relationship whose bundle is refreshed: the config's, then the dynamic ones.</summary>
    public async Task<IReadOnlyList<FederatedTrustDomainSettings>> ListAllAsync(CancellationToken cancellationToken = default) =>
        [.. _declared, .. await ListDynamicAsync(cancellationToken).ConfigureAwait(false)];

    /// <summary>Deletes a dynamic relationship; the trust domain's bundle stays (as SPIRE).</summary>
    /// <exception cref="RegistrationException">NotFound when there is none; FailedPrecondition for a config-declared one.</exception>
    public async Task DeleteAsync(string trustDomain, CancellationToken cancellationToken = default)
    {
        var td = ParseTrustDomain(trustDomain);
        RequireDynamic(td);
        if (!await _store.DeleteFederationRelationshipAsync(td.Name, cancellationToken).ConfigureAwait(false))
        {
            throw NotFound(td);
        }

        Changed.Notify();
    }

    private async Task SetBundleAsync(FederatedTrustDomainSettings relationship, SpiffeBundle? bundle, CancellationToken cancellationToken)
    {
        if (bundle is null)
        {
            return;
        }

        var expected = BundleTrustDomain(relationship);
        if (bundle.TrustDomain != expected)
        {
            throw Invalid($"federation: the bundle is for \"{bundle.TrustDomain}\" but the relationship needs the bundle of \"{expected}\"");
        }

        await _bundles.SetFederatedAsync(bundle, cancellationToken).ConfigureAwait(false);
    }

    private FederatedTrustDomainSettings? Declared(TrustDomain td) => _declared.FirstOrDefault(d => d.TrustDomain == td);

    private void RequireDynamic(TrustDomain td)
    {
        if (Declared(td) is not null)
        {
            throw new RegistrationException(RegistrationError.FailedPrecondition,
                $"federation: the relationship with \"{td}\" is declared in the server config (federation.federates_with); change it there");
        }
    }

    private static TrustDomain ParseTrustDomain(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw Invalid("federation: a trust domain is required");
        }

        // SPIRE's CLI takes "example.org" for -trustDomain and "spiffe://example.org" for -id: accept both.
        var name = text.StartsWith("spiffe://", StringComparison.Ordinal) ? text["spiffe://".Length..] : text;
        return TrustDomain.TryParse(name, out var td, out var error)
            ? td
            : throw Invalid($"federation: \"{text}\" is not a trust domain: {error}");
    }

    private static StoredFederationRelationship ToStored(FederatedTrustDomainSettings r) => new(
        r.TrustDomain.Name,
        r.BundleEndpointUrl.OriginalString,
        r.Profile == BundleEndpointProfile.HttpsSpiffe ? "https_spiffe" : "https_web",
        r.Profile == BundleEndpointProfile.HttpsSpiffe ? r.EndpointSpiffeId.ToString() : string.Empty);

    private static FederatedTrustDomainSettings FromStored(StoredFederationRelationship r) => new(
        TrustDomain.Parse(r.TrustDomain),
        new Uri(r.BundleEndpointUrl, UriKind.Absolute),
        r.BundleEndpointProfile == "https_spiffe" ? BundleEndpointProfile.HttpsSpiffe : BundleEndpointProfile.HttpsWeb,
        r.EndpointSpiffeId.Length == 0 ? default : SpiffeId.Parse(r.EndpointSpiffeId));

    private static RegistrationException NotFound(TrustDomain td) =>
        new(RegistrationError.NotFound, $"federation: no federation relationship with trust domain \"{td}\"");

    private static RegistrationException Invalid(string message) => new(RegistrationError.InvalidArgument, message);
}
