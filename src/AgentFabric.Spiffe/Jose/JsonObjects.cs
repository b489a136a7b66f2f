using System.Text.Json;

namespace AgentFabric.Spiffe.Jose;

/// <summary>Checks JSON objects for repeated member names, which <see cref="JsonDocument"/> keeps silently.</summary>
internal static class JsonObjects
{
    /// <summary>The first member name that occurs twice in <paramref name="obj"/>, or null.</summary>
    public static string? FindDuplicateName(JsonElement obj)
    {
        List<string>? seen = null;
        foreach (var property in obj.EnumerateObject())
        {
            seen ??= [];
            foreach (var name in seen)
            {
                if (property.NameEquals(name))
                {
                    return name;
                }
            }

            seen.Add(property.Name);
        }

        return null;
    }
}
