using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Net;

internal static class UriBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        r.Register("uri.parse", [RegoType.String], RegoType.ObjectOf(RegoType.String, RegoType.String), UriFunctions.Parse);

        // An empty string is a valid relative reference (RFC 3986 §4.2) but rarely what a policy means: not valid.
        r.Register("uri.is_valid", [RegoType.String], RegoType.Boolean, static (_, a) =>
        {
            if (a[0] is not StringValue { Value.Length: > 0 } s)
            {
                return BooleanValue.False;
            }

            try
            {
                UriParts.Parse(s.Value);
                return BooleanValue.True;
            }
            catch (RegoBuiltinException)
            {
                return BooleanValue.False;
            }
        });
    }
}

/// <summary>The uri family.</summary>
internal static class UriFunctions
{
    // The components present: scheme, hostname, port, path with raw_path (always, the escaped form when it
    // differs), raw_query, fragment.
    public static Value Parse(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var url = UriParts.Parse(BuiltinArgs.String(a, 0));
        var b = new ObjectValue.Builder();
        void Add(string key, string value)
        {
            if (value.Length > 0)
            {
                b.Set(key, StringValue.Create(value));
            }
        }

        Add("scheme", url.Scheme);
        Add("hostname", url.Hostname);
        Add("port", url.Port);
        if (url.Path.Length > 0)
        {
            Add("path", url.Path);
            Add("raw_path", url.RawPath.Length > 0 ? url.RawPath : url.Path);
        }

        Add("raw_query", url.RawQuery);
        Add("fragment", url.Fragment);
        return b.ToValue();
    }
}
