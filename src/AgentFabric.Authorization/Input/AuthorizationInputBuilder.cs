using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;
using AgentFabric.Spiffe;

namespace AgentFabric.Authorization.Input;

/// <summary>Builds the standard authorization input: caller, user, delegation chain, action, resource, request and
/// time. Every caller (ASP.NET Core middleware, Envoy adapter, CLI) builds its input here so policies see one shape.
/// Caller, action and resource are required.</summary>
public sealed class AuthorizationInputBuilder
{
    private readonly TimeProvider _time;
    private SpiffeId _caller;
    private ObjectValue? _user;
    private IReadOnlyList<DelegationHop> _delegation = [];
    private ArrayValue? _delegationValue; // converted with the user, once per token
    private string? _action;
    private AuthorizationResource? _resource;
    private ObjectValue? _request;

    /// <summary>A builder stamping the input with <paramref name="timeProvider"/>'s time.</summary>
    public AuthorizationInputBuilder(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The direct caller (the mTLS peer's or JWT-SVID's SPIFFE ID).</summary>
    public AuthorizationInputBuilder WithCaller(SpiffeId caller)
    {
        if (caller.IsZero)
        {
            throw new ArgumentException("the caller's SPIFFE ID is empty", nameof(caller));
        }

        _caller = caller;
        return this;
    }

    /// <summary>The end user, from an exchanged token's claims (a JSON object): <c>sub</c> is required, <c>scope</c>
    /// (RFC 8693 §4.2, space-separated) becomes <c>user.scopes</c>, and <c>act</c> becomes the delegation chain
    /// (<see cref="WithActClaim"/>); the other claims stay under <c>user.claims</c>.</summary>
    public AuthorizationInputBuilder WithUserToken(JsonElement claims) => WithUser(AuthorizationUser.FromTokenClaims(claims));

    /// <summary>The end user and delegation chain converted before (<see cref="AuthorizationUser.FromTokenClaims"/>).</summary>
    public AuthorizationInputBuilder WithUser(AuthorizationUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _user = user.Value;
        if (user.HasActClaim)
        {
            _delegation = user.Delegation;
            _delegationValue = user.DelegationValue;
        }

        return this;
    }

    /// <summary>The delegation chain from an <c>act</c> claim (RFC 8693 §4.1): the outer <c>act.sub</c> is the nearest
    /// (current) actor, each nested <c>act</c> an earlier one. Every <c>sub</c> must be a SPIFFE ID.</summary>
    public AuthorizationInputBuilder WithActClaim(JsonElement act)
    {
        _delegation = ParseActClaim(act);
        _delegationValue = null;
        return this;
    }

    internal static List<DelegationHop> ParseActClaim(JsonElement act)
    {
        var chain = new List<DelegationHop>();
        var depth = 0;
        for (var current = act; ; depth++)
        {
            if (current.ValueKind != JsonValueKind.Object)
            {
                throw new AuthorizationInputException($"act claim at depth {depth} must be a JSON object");
            }

            var sub = current.TryGetProperty("sub", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : null;
            if (!SpiffeId.TryParse(sub, out var id, out var error))
            {
                throw new AuthorizationInputException($"act.sub at depth {depth} is not a SPIFFE ID: {(sub is null ? "missing" : error)}");
            }

            var scopes = current.TryGetProperty("scope", out var sc) ? Scopes(sc, $"act.scope at depth {depth}") : null;
            chain.Add(new DelegationHop(id, scopes));
            if (!current.TryGetProperty("act", out var next))
            {
                return chain;
            }

            current = next;
        }
    }

    /// <summary>The delegation chain, nearest actor first.</summary>
    public AuthorizationInputBuilder WithDelegation(IEnumerable<DelegationHop> nearestFirst)
    {
        ArgumentNullException.ThrowIfNull(nearestFirst);
        _delegation = [.. nearestFirst];
        _delegationValue = null;
        return this;
    }

    /// <summary>The action, e.g. <c>research.run</c>.</summary>
    public AuthorizationInputBuilder WithAction(string action)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        _action = action;
        return this;
    }

    /// <summary>The resource acted on.</summary>
    public AuthorizationInputBuilder WithResource(AuthorizationResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(resource.Type);
        _resource = resource;
        return this;
    }

    /// <summary>The HTTP request: method, path, and the headers named in <paramref name="selected"/> (names compared
    /// case-insensitively and written lower-case; repeated headers joined with <c>", "</c>, RFC 9110 §5.3). Other
    /// headers (Authorization, cookies) never reach the input.</summary>
    public AuthorizationInputBuilder WithRequest(string method, string path, IEnumerable<KeyValuePair<string, string>> headers, IEnumerable<string> selected)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(selected);
        if (!path.StartsWith('/'))
        {
            throw new AuthorizationInputException($"request path '{path}' does not start with '/'");
        }

        _request = ObjectValue.Create(("headers", Headers(headers, selected)), ("method", method.ToUpperInvariant()), ("path", path));
        return this;
    }

    private static ObjectValue Headers(IEnumerable<KeyValuePair<string, string>> headers, IEnumerable<string> selected)
    {
        if (selected.TryGetNonEnumeratedCount(out var count) && count == 0)
        {
            return ObjectValue.Empty; // the usual case: the request's headers are not even enumerated
        }

        var wanted = new HashSet<string>(selected, StringComparer.OrdinalIgnoreCase);
        var kept = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            if (wanted.Contains(name))
            {
                var key = name.ToLowerInvariant();
                kept[key] = kept.TryGetValue(key, out var earlier) ? earlier + ", " + value : value;
            }
        }

        var h = new ObjectValue.Builder();
        foreach (var (k, v) in kept)
        {
            h.Set(k, v);
        }

        return h.ToValue();
    }

    /// <summary>The input; throws <see cref="InvalidOperationException"/> when caller, action or resource is missing.</summary>
    public AuthorizationInput Build()
    {
        if (_caller.IsZero || _action is null || _resource is null)
        {
            var missing = new[] { _caller.IsZero ? "caller" : null, _action is null ? "action" : null, _resource is null ? "resource" : null };
            throw new InvalidOperationException($"authorization input: missing {string.Join(", ", missing.OfType<string>())}");
        }

        var now = _time.GetUtcNow();
        // In key order, so the small object's insertion sort only compares each entry with the one before it.
        var entries = new (string, Value)[7];
        var n = 0;
        entries[n++] = ("action", _action);
        entries[n++] = ("caller", WorkloadValues.Get(_caller));
        entries[n++] = ("delegation", _delegationValue ?? DelegationValue(_delegation));
        if (_request is not null)
        {
            entries[n++] = ("request", _request);
        }

        entries[n++] = ("resource", Resource(_resource));
        entries[n++] = ("time", ObjectValue.Create(("rfc3339", Rfc3339.FormatNano(now)), ("unix_ns", Rfc3339.UnixNanoseconds(now))));
        if (_user is not null)
        {
            entries[n++] = ("user", _user);
        }

        return new AuthorizationInput(ObjectValue.Create(entries.AsSpan(0, n)));
    }

    /// <summary>The <c>delegation</c> array of a chain, nearest actor first.</summary>
    internal static ArrayValue DelegationValue(IReadOnlyList<DelegationHop> chain)
    {
        if (chain.Count == 0)
        {
            return ArrayValue.Empty;
        }

        var hops = new Value[chain.Count];
        for (var i = 0; i < hops.Length; i++)
        {
            hops[i] = chain[i].Scopes is null ? WorkloadValues.Get(chain[i].SpiffeId) : Workload(chain[i].SpiffeId, chain[i].Scopes);
        }

        return ArrayValue.Create(hops);
    }

    internal static ObjectValue Workload(SpiffeId id, IReadOnlyList<string>? scopes)
    {
        var segments = id.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var b = new ObjectValue.Builder();
        b.Set("spiffe_id", id.ToString());
        b.Set("trust_domain", id.TrustDomain.ToString());
        b.Set("path", StringArray(segments));
        if (scopes is not null)
        {
            b.Set("scopes", StringArray(scopes));
        }

        return b.ToValue();
    }

    private static ObjectValue Resource(AuthorizationResource r)
    {
        // In key order, as in Build.
        var entries = new (string, Value)[4];
        var n = 0;
        if (r.Attributes is not null)
        {
            var a = new ObjectValue.Builder();
            foreach (var (k, v) in r.Attributes)
            {
                a.Set(k, v);
            }

            entries[n++] = ("attributes", a.ToValue());
        }

        if (r.Id is not null)
        {
            entries[n++] = ("id", r.Id);
        }

        if (r.Owner is not null)
        {
            entries[n++] = ("owner", r.Owner);
        }

        entries[n++] = ("type", r.Type);
        return ObjectValue.Create(entries.AsSpan(0, n));
    }

    // RFC 8693 §4.2: "scope" is a space-separated list of strings (RFC 6749 §3.3).
    internal static string[] Scopes(JsonElement claim, string what) => claim.ValueKind == JsonValueKind.String
        ? claim.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray()
        : throw new AuthorizationInputException($"{what} must be a space-separated string, not {claim.ValueKind}");

    internal static ArrayValue StringArray(IEnumerable<string> items) => ArrayValue.CreateRange(items.Select(i => (Value)i));
}
