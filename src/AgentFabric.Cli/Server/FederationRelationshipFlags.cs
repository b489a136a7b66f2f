using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentFabric.Server.Api.V1;
using AgentFabric.Spiffe;
using Google.Protobuf;

namespace AgentFabric.Cli.Server;

/// <summary>A federation relationship from SPIRE's flags (<c>-trustDomain -bundleEndpointURL -bundleEndpointProfile
/// -endpointSpiffeID -trustDomainBundlePath -trustDomainBundleFormat</c>) or from SPIRE's <c>-data</c> JSON
/// (<c>{"federationRelationships": [{"trustDomain", "bundleEndpointURL", "bundleEndpointProfile", "endpointSPIFFEID",
/// "trustDomainBundle", "trustDomainBundleFormat"}]}</c>). Field rules are checked by the server.</summary>
internal sealed class FederationRelationshipFlags
{
    private readonly Option<string> _trustDomain = ServerCommands.Flag<string>("trustDomain", "Name of the trust domain to federate with (e.g., example.org)");
    private readonly Option<string> _url = ServerCommands.Flag<string>("bundleEndpointURL", "URL of the SPIFFE bundle endpoint that provides the trust bundle (must use the HTTPS protocol)");
    private readonly Option<string> _profile = ServerCommands.Flag<string>("bundleEndpointProfile", "Endpoint profile type (either \"https_web\" or \"https_spiffe\")");
    private readonly Option<string> _endpointId = ServerCommands.Flag<string>("endpointSpiffeID", "SPIFFE ID of the SPIFFE bundle endpoint server. Only used for 'https_spiffe' profile.");
    private readonly Option<string> _bundlePath = ServerCommands.Flag<string>("trustDomainBundlePath", "Path to the trust domain bundle data (optional).");
    private readonly Option<string> _bundleFormat = new("-trustDomainBundleFormat", "--trustDomainBundleFormat")
    {
        Description = "The format of the bundle data (optional). Either \"pem\" or \"spiffe\".",
        DefaultValueFactory = _ => "pem",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new[] { _trustDomain, _url, _profile, _endpointId, _bundlePath, _bundleFormat })
        {
            command.Options.Add(option);
        }
    }

    public bool IsEmpty(ParseResult parse) =>
        parse.GetValue(_trustDomain) is null && parse.GetValue(_url) is null && parse.GetValue(_profile) is null &&
        parse.GetValue(_endpointId) is null && parse.GetValue(_bundlePath) is null && parse.GetValue(_bundleFormat) == "pem";

    public FederationRelationship Read(ParseResult parse)
    {
        var relationship = new FederationRelationship
        {
            TrustDomain = parse.GetValue(_trustDomain) ?? string.Empty,
            BundleEndpointUrl = parse.GetValue(_url) ?? string.Empty,
            BundleEndpointProfile = parse.GetValue(_profile) ?? string.Empty,
            EndpointSpiffeId = parse.GetValue(_endpointId) ?? string.Empty,
        };
        if (parse.GetValue(_bundlePath) is { } path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read bundle file: {e.Message}", e);
            }

            relationship.TrustDomainBundle = Bundle(relationship, text, parse.GetValue(_bundleFormat)!);
        }

        return relationship;
    }

    /// <summary>The relationships of a <c>-data</c> document.</summary>
    public static IReadOnlyList<FederationRelationship> FromJson(string json)
    {
        var list = new List<FederationRelationship>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("federationRelationships", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new CliException("failed to parse JSON: expected an object with a \"federationRelationships\" array");
            }

            var i = 0;
            foreach (var item in items.EnumerateArray())
            {
                try
                {
                    list.Add(FromJsonItem(item));
                }
                catch (CliException e)
                {
                    throw new CliException($"could not parse item {i}: {e.Message}", e);
                }

                i++;
            }
        }
        catch (JsonException e)
        {
            throw new CliException($"failed to parse JSON: {e.Message}", e);
        }

        return list;
    }

    private static FederationRelationship FromJsonItem(JsonElement item)
    {
        string Text(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
        var relationship = new FederationRelationship
        {
            TrustDomain = Text("trustDomain"),
            BundleEndpointUrl = Text("bundleEndpointURL"),
            BundleEndpointProfile = Text("bundleEndpointProfile"),
            EndpointSpiffeId = Text("endpointSPIFFEID"),
        };
        if (relationship.TrustDomain.Length == 0)
        {
            throw new CliException("trust domain is required");
        }

        if (relationship.BundleEndpointUrl.Length == 0)
        {
            throw new CliException("bundle endpoint URL is required");
        }

        if (item.TryGetProperty("trustDomainBundle", out var bundle))
        {
            var format = Text("trustDomainBundleFormat") is { Length: > 0 } f ? f : "pem";
            var text = format == "pem"
                ? bundle.ValueKind == JsonValueKind.String ? bundle.GetString()! : throw new CliException("a pem trustDomainBundle must be a JSON string")
                : bundle.GetRawText();
            relationship.TrustDomainBundle = Bundle(relationship, text, format);
        }

        return relationship;
    }

    /// <summary>The bundle as the Admin API takes it, for the trust domain that authenticates the endpoint: the
    /// endpoint SPIFFE ID's for https_spiffe, the federated one's otherwise (as SPIRE).</summary>
    private static SetFederatedBundleRequest Bundle(FederationRelationship relationship, string text, string format)
    {
        var td = relationship.BundleEndpointProfile == "https_spiffe" && SpiffeId.TryParse(relationship.EndpointSpiffeId, out var endpoint)
            ? endpoint.TrustDomain.Name
            : relationship.TrustDomain;
        var request = new SetFederatedBundleRequest { TrustDomain = td };
        switch (format)
        {
            case "spiffe":
                request.SpiffeBundleJson = text;
                return request;
            case "pem":
                var certs = new X509Certificate2Collection();
                try
                {
                    certs.ImportFromPem(text);
                }
                catch (CryptographicException e)
                {
                    throw new CliException($"cannot parse bundle file: unreadable certificate: {e.Message}", e);
                }

                if (certs.Count == 0)
                {
                    throw new CliException("cannot parse bundle file: no PEM data found");
                }

                request.X509Authorities.AddRange(certs.Select(c => ByteString.CopyFrom(c.RawData)));
                return request;
            default:
                throw new CliException($"bundle format \"{format}\" is unsupported (pem or spiffe)");
        }
    }
}
