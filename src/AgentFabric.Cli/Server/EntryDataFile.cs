using System.Globalization;
using System.Text.Json;
using AgentFabric.Server.Api.V1;

namespace AgentFabric.Cli.Server;

/// <summary>
/// Reads <c>entry create -data</c>'s JSON: SPIRE's <c>{"entries":[...]}</c>, each entry in the shape of SPIRE's
/// <c>spire.common.RegistrationEntry</c> as Go's encoding/json writes it (<c>spiffe_id</c>, <c>parent_id</c>,
/// <c>selectors</c> [{type, value}], <c>x509_svid_ttl</c> or its old name <c>ttl</c>, <c>jwt_svid_ttl</c>,
/// <c>federates_with</c>, <c>dns_names</c>, <c>entry_id</c>, <c>admin</c>, <c>downstream</c>, <c>entryExpiry</c>,
/// <c>hint</c>; <c>revision_number</c> is read and ignored, as the server sets it). Keys match without regard to
/// case, as encoding/json does. Unlike encoding/json, an unknown key or a value of the wrong type is an error naming
/// the entry and the key, so a misspelt field never silently becomes a default.
/// </summary>
internal static class EntryDataFile
{
    public static IReadOnlyList<Entry> Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new CliException($"{source}: not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !TryGet(root, "entries", out var list))
            {
                throw new CliException($"{source}: expected an object {{\"entries\": [...]}}");
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new CliException($"{source}: \"entries\" must be an array");
            }

            var entries = new List<Entry>(list.GetArrayLength());
            foreach (var item in list.EnumerateArray())
            {
                entries.Add(ReadEntry(item, string.Create(CultureInfo.InvariantCulture, $"{source}: entries[{entries.Count}]")));
            }

            if (entries.Count == 0)
            {
                throw new CliException($"{source}: \"entries\" is empty; nothing to create");
            }

            return entries;
        }
    }

    private static Entry ReadEntry(JsonElement item, string where)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new CliException($"{where}: expected an object");
        }

        var entry = new Entry();
        int? x509Ttl = null;
        int? legacyTtl = null;
        foreach (var field in item.EnumerateObject())
        {
            var value = field.Value;
            var at = $"{where}.{field.Name}";
            switch (field.Name.ToLowerInvariant())
            {
                case "spiffe_id": entry.SpiffeId = Text(value, at); break;
                case "parent_id": entry.ParentId = Text(value, at); break;
                case "entry_id": entry.Id = Text(value, at); break;
                case "hint": entry.Hint = Text(value, at); break;
                case "x509_svid_ttl": x509Ttl = Int32(value, at); break;
                case "ttl": legacyTtl = Int32(value, at); break;
                case "jwt_svid_ttl": entry.JwtSvidTtl = Int32(value, at); break;
                case "entryexpiry": entry.ExpiresAt = Int64(value, at); break;
                case "admin": entry.Admin = Bool(value, at); break;
                case "downstream": entry.Downstream = Bool(value, at); break;
                case "federates_with": entry.FederatesWith.AddRange(Texts(value, at)); break;
                case "dns_names": entry.DnsNames.AddRange(Texts(value, at)); break;
                case "selectors": entry.Selectors.AddRange(Selectors(value, at)); break;
                case "revision_number": Int64(value, at); break;
                case "store_svid":
                    if (Bool(value, at))
                    {
                        throw new CliException($"{at}: storing SVIDs (SPIRE's SVIDStore plugins) is not supported");
                    }

                    break;
                default: throw new CliException($"{at}: unknown field (a registration entry has spiffe_id, parent_id, selectors, x509_svid_ttl, jwt_svid_ttl, federates_with, dns_names, entry_id, admin, downstream, entryExpiry, hint)");
            }
        }

        // SPIRE 1.9's rule for the deprecated ttl: it may not be mixed with the per-SVID TTLs.
        if (legacyTtl > 0 && (x509Ttl > 0 || entry.JwtSvidTtl > 0))
        {
            throw new CliException($"{where}: use x509_svid_ttl and jwt_svid_ttl or the deprecated ttl, not both");
        }

        entry.X509SvidTtl = x509Ttl ?? legacyTtl ?? 0;
        return entry;
    }

    private static IEnumerable<Selector> Selectors(JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new CliException($"{at}: expected an array of {{\"type\", \"value\"}} objects");
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var here = string.Create(CultureInfo.InvariantCulture, $"{at}[{i++}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"{here}: expected an object {{\"type\", \"value\"}}");
            }

            var selector = new Selector();
            foreach (var field in item.EnumerateObject())
            {
                switch (field.Name.ToLowerInvariant())
                {
                    case "type": selector.Type = Text(field.Value, $"{here}.{field.Name}"); break;
                    case "value": selector.Value = Text(field.Value, $"{here}.{field.Name}"); break;
                    default: throw new CliException($"{here}.{field.Name}: unknown field (a selector has type and value)");
                }
            }

            yield return selector;
        }
    }

    private static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = p.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string Text(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new CliException($"{at}: expected a string");

    private static IEnumerable<string> Texts(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select((v, i) => Text(v, string.Create(CultureInfo.InvariantCulture, $"{at}[{i}]"))).ToArray()
            : throw new CliException($"{at}: expected an array of strings");

    private static int Int32(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : throw new CliException($"{at}: expected a 32-bit integer");

    private static long Int64(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : throw new CliException($"{at}: expected an integer");

    private static bool Bool(JsonElement value, string at) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new CliException($"{at}: expected true or false"),
    };
}
