using System.Globalization;
using System.Net;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Config;

public static partial class ServerConfigLoader
{
    private static TimeSpan Duration(string name, string? text, TimeSpan fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!DurationText.TryParse(text, out var value))
        {
            throw new ServerConfigException($"config: {name} \"{text}\" is not a duration (examples: \"1h\", \"5m\", \"30s\")");
        }

        if (value <= TimeSpan.Zero)
        {
            throw new ServerConfigException($"config: {name} must be positive, got \"{text}\"");
        }

        return value;
    }

    /// <summary>A duration where zero is meaningful (it turns a feature off); negative is still an error.</summary>
    private static TimeSpan DurationOrZero(string name, string? text, TimeSpan fallback)
    {
        if (text is not null && DurationText.TryParse(text, out var value) && value == TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        return Duration(name, text, fallback);
    }

    private static IPAddress Address(string name, string? text, IPAddress fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (text == "localhost")
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(text, out var address)
            ? address
            : throw new ServerConfigException($"config: {name} \"{text}\" is not an IP address");
    }

    private static int Port(string name, int? value, int fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        return value is >= 0 and <= 65535
            ? value.Value
            : throw new ServerConfigException(string.Create(CultureInfo.InvariantCulture, $"config: {name} {value} is outside 0-65535"));
    }

    private static int Positive(string name, int? value, int fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        return value > 0
            ? value.Value
            : throw new ServerConfigException(string.Create(CultureInfo.InvariantCulture, $"config: {name} must be positive, got {value}"));
    }

    private static (DatastoreKind, string) Datastore(DatastoreFile? d, string dataDir)
    {
        var type = d?.DatabaseType ?? "sqlite3";
        switch (type)
        {
            case "sqlite3" or "sqlite":
                var cs = string.IsNullOrWhiteSpace(d?.ConnectionString)
                    ? Path.Combine(dataDir, "datastore.sqlite3")
                    : d!.ConnectionString!;
                return (DatastoreKind.Sqlite, cs);
            case "postgres":
                if (string.IsNullOrWhiteSpace(d?.ConnectionString))
                {
                    throw new ServerConfigException("config: datastore.connection_string is required for database_type \"postgres\"");
                }

                return (DatastoreKind.Postgres, d.ConnectionString);
            default:
                throw new ServerConfigException($"config: datastore.database_type \"{type}\" is not one of sqlite3, postgres");
        }
    }

    private static (KeyManagerKind, string) KeyManager(KeyManagerFile? k, string dataDir)
    {
        var path = string.IsNullOrWhiteSpace(k?.KeysPath) ? Path.Combine(dataDir, "keys") : Path.GetFullPath(k.KeysPath);
        return (k?.Type ?? "disk") switch
        {
            "disk" => (KeyManagerKind.Disk, path),
            "memory" => (KeyManagerKind.Memory, path),
            var t => throw new ServerConfigException($"config: key_manager.type \"{t}\" is not one of disk, memory"),
        };
    }

    private static UpstreamAuthoritySettings? Upstream(UpstreamAuthorityFile? u)
    {
        if (u is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(u.CertFilePath) || string.IsNullOrWhiteSpace(u.KeyFilePath))
        {
            throw new ServerConfigException("config: upstream_authority needs both cert_file_path and key_file_path");
        }

        return new UpstreamAuthoritySettings(u.CertFilePath, u.KeyFilePath, u.BundleFilePath);
    }

    private static BundleEndpointProfile Profile(string name, string? text) => text switch
    {
        null or "https_spiffe" => BundleEndpointProfile.HttpsSpiffe,
        "https_web" => BundleEndpointProfile.HttpsWeb,
        _ => throw new ServerConfigException($"config: {name} \"{text}\" is not one of https_web, https_spiffe"),
    };

    private static BundleEndpointSettings? BundleEndpoint(BundleEndpointFile? b)
    {
        if (b is null)
        {
            return null;
        }

        var profile = Profile("federation.bundle_endpoint.profile", b.Profile);
        var cert = b.ServingCertFile?.CertFilePath;
        var key = b.ServingCertFile?.KeyFilePath;
        if (profile == BundleEndpointProfile.HttpsWeb && (string.IsNullOrWhiteSpace(cert) || string.IsNullOrWhiteSpace(key)))
        {
            // Federation §5.2.1: https_web is authenticated with a Web PKI certificate, which we cannot mint.
            throw new ServerConfigException("config: federation.bundle_endpoint profile https_web needs serving_cert_file.cert_file_path and key_file_path");
        }

        return new BundleEndpointSettings(
            Address("federation.bundle_endpoint.address", b.Address, IPAddress.Any),
            Port("federation.bundle_endpoint.port", b.Port, 8443),
            profile,
            Duration("federation.bundle_endpoint.refresh_hint", b.RefreshHint, TimeSpan.FromMinutes(5)),
            cert,
            key);
    }

    private static List<FederatedTrustDomainSettings> FederatesWith(Dictionary<string, FederatesWithFile>? map)
    {
        var list = new List<FederatedTrustDomainSettings>();
        foreach (var (name, f) in map ?? [])
        {
            if (!TrustDomain.TryParse(name, out var td, out var error))
            {
                throw new ServerConfigException($"config: federation.federates_with \"{name}\" is not a trust domain: {error}");
            }

            if (!Uri.TryCreate(f.BundleEndpointUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
            {
                // Federation §5.1: bundle endpoints are served over HTTPS.
                throw new ServerConfigException($"config: federation.federates_with \"{name}\".bundle_endpoint_url must be an https URL");
            }

            var profile = Profile($"federation.federates_with \"{name}\".bundle_endpoint_profile", f.BundleEndpointProfile);
            SpiffeId endpointId = default;
            if (profile == BundleEndpointProfile.HttpsSpiffe)
            {
                if (!SpiffeId.TryParse(f.EndpointSpiffeId, out endpointId, out var idError))
                {
                    throw new ServerConfigException(
                        $"config: federation.federates_with \"{name}\".endpoint_spiffe_id is required for https_spiffe and must be a SPIFFE ID: {idError}");
                }
            }

            list.Add(new FederatedTrustDomainSettings(td, url, profile, endpointId));
        }

        return list;
    }
}
