using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>Applies OPA's masking policy (OPA docs, "Masking Sensitive Data"): evaluates <c>data.system.log.mask</c>
/// with the event as input; each result is a JSON pointer to erase or <c>{"op": "remove"|"upsert", "path", "value"}</c>.
/// Only pointers under <c>/input</c>, <c>/result</c> and <c>/nd_builtin_cache</c> apply; erased and upserted pointers
/// are recorded in <c>erased</c> and <c>masked</c>. When the masking policy fails the whole input and result are erased:
/// a log never leaks what the policy meant to hide.</summary>
public sealed class DecisionLogMasker
{
    /// <summary>OPA's default masking rule.</summary>
    public const string DefaultQuery = "data.system.log.mask";

    private readonly PolicyStore _store;
    private readonly string _query;

    /// <summary>A masker evaluating <paramref name="query"/> against <paramref name="store"/>'s current policy.</summary>
    public DecisionLogMasker(PolicyStore store, string query = DefaultQuery)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(query);
        _store = store;
        _query = query;
    }

    /// <summary>The masked event.</summary>
    public DecisionLogEvent Apply(DecisionLogEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Value? rules;
        try
        {
            rules = _store.Evaluate(_query, e.ToValue()).Value;
        }
        catch (RegoException)
        {
            return e with { Input = null, Result = null, Erased = [.. e.Erased, "/input", "/result"] };
        }

        return rules is null ? e : Apply(e, rules);
    }

    /// <summary>Applies mask operations (a set or array of pointers and operation objects) to an event.</summary>
    public static DecisionLogEvent Apply(DecisionLogEvent e, Value rules)
    {
        ArgumentNullException.ThrowIfNull(e);
        var items = rules switch
        {
            SetValue s => s.ToArray(),
            ArrayValue a => a.Items.ToArray(),
            _ => [],
        };
        var erased = new List<string>(e.Erased);
        var masked = new List<string>(e.Masked);
        var input = e.Input;
        var result = e.Result;
        foreach (var rule in items)
        {
            var (op, pointer, value) = rule switch
            {
                StringValue s => ("remove", s.Value, null),
                ObjectValue o when o.Get("op") is StringValue opv && o.Get("path") is StringValue p => (opv.Value, p.Value, o.Get("value")),
                _ => ("", "", null),
            };
            if (!JsonPointerEdit.TryParse(pointer, out var segments) || segments[0] is not ("input" or "result") || op is not ("remove" or "upsert"))
            {
                // nd_builtin_cache is not recorded by this engine; other prefixes are not maskable.
                continue;
            }

            var target = segments[0] == "input" ? input : result;
            var rest = segments.AsSpan(1);
            bool applied;
            Value? edited;
            if (op == "remove")
            {
                (edited, applied) = target is null ? (null, false) : rest.IsEmpty ? (null, true) : (JsonPointerEdit.Remove(target, rest, out var a), a);
                if (applied)
                {
                    erased.Add(pointer);
                }
            }
            else
            {
                edited = JsonPointerEdit.Upsert(target, rest, value ?? NullValue.Instance, out applied);
                if (applied)
                {
                    masked.Add(pointer);
                }
            }

            if (!applied)
            {
                continue;
            }

            if (segments[0] == "input")
            {
                input = edited;
            }
            else
            {
                result = edited;
            }
        }

        return e with { Input = input, Result = result, Erased = erased, Masked = masked };
    }
}
