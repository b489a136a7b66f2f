using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Conformance;

/// <summary>Runs one case against the engine and compares the outcome with its expectation.</summary>
internal static class CaseRunner
{
    private static readonly RegoEngine Engine = new(new RegoEngineOptions
    {
        Builtins = HarnessBuiltins.Create(),
        Limits = new EvaluationLimits { Timeout = TimeSpan.FromSeconds(10), MaxSteps = 50_000_000 },
    });

    private static readonly RegoEngine StrictEngine = new(new RegoEngineOptions
    {
        Builtins = HarnessBuiltins.Create(),
        Strict = true,
    });

    public static CaseOutcome Run(ConformanceCase c)
    {
        if (c.WantErrors is not null)
        {
            return RunCompileCase(c);
        }

        var expectsError = c.WantErrorCode is not null || c.WantError is not null;
        if (c.WantResult is null && !expectsError)
        {
            return new CaseOutcome(CaseStatus.Skipped, "no expectation");
        }

        QueryResult result;
        PreparedQuery query;
        try
        {
            var version = c.IsV0 ? RegoVersion.V0 : RegoVersion.V1;
            var modules = c.Modules.Select((m, i) => new RegoModuleSource($"test-{i}.rego", m, version)).ToList();
            var policy = Engine.Compile(modules, c.Data as ObjectValue);
            query = Engine.Prepare(policy, c.Query);
            var input = c.InputTerm is not null ? RegoEngine.ParseTerm(c.InputTerm) : c.Input;
            result = query.Evaluate(input, default, new EvaluationSettings { StrictBuiltinErrors = c.StrictError });
        }
        catch (RegoException e)
        {
            if (!expectsError)
            {
                return new CaseOutcome(CaseStatus.Failed, $"unexpected error: {e.Message}");
            }

            if (c.WantErrorCode is not null && e.Code != c.WantErrorCode)
            {
                return new CaseOutcome(CaseStatus.Failed, $"want error code {c.WantErrorCode}, got {e.Message}");
            }

            if (c.WantError is not null && !e.Message.Contains(c.WantError, StringComparison.Ordinal))
            {
                return new CaseOutcome(CaseStatus.Failed, $"want error containing \"{c.WantError}\", got {e.Message}");
            }

            return new CaseOutcome(CaseStatus.Passed);
        }

        if (expectsError)
        {
            return new CaseOutcome(CaseStatus.Failed, $"want error {c.WantErrorCode} {c.WantError}, got {result.Rows.Count} rows");
        }

        var want = c.WantResult!.Select(r => Canonical(r, c.SortBindings)).Distinct().Order(StringComparer.Ordinal).ToList();
        var got = result.Rows.Select(row =>
        {
            var b = new ObjectValue.Builder();
            foreach (var (name, value) in row.Bindings)
            {
                if (c.IgnoreGeneratedVars && name.StartsWith("__localq", StringComparison.Ordinal))
                {
                    continue;
                }

                b.Set(name, value);
            }

            return Canonical(b.ToValue(), c.SortBindings);
        }).Distinct().Order(StringComparer.Ordinal).ToList();
        if (want.SequenceEqual(got))
        {
            return new CaseOutcome(CaseStatus.Passed);
        }

        return new CaseOutcome(CaseStatus.Failed, $"want [{string.Join(", ", want)}]\n      got  [{string.Join(", ", got)}]");
    }

    // Every wanted diagnostic must be reported; an exhaustive case also allows no other.
    private static CaseOutcome RunCompileCase(ConformanceCase c)
    {
        var version = c.IsV0 ? RegoVersion.V0 : RegoVersion.V1;
        var engine = c.Strict ? StrictEngine : Engine;
        try
        {
            engine.Compile(c.Modules.Select((m, i) => new RegoModuleSource($"test-{i}.rego", m, version)).ToList());
        }
        catch (RegoException e)
        {
            IReadOnlyList<RegoError> got = e is RegoCompileException ce ? ce.Errors : [new RegoError(e.Code, e.Reason, e.Location)];
            var unmatched = got.ToList();
            foreach (var want in c.WantErrors!)
            {
                var i = unmatched.FindIndex(want.Matches);
                if (i < 0)
                {
                    return new CaseOutcome(CaseStatus.Failed, $"want {want}\n      got  {Describe(got)}");
                }

                unmatched.RemoveAt(i);
            }

            return c.Exhaustive && unmatched.Count > 0
                ? new CaseOutcome(CaseStatus.Failed, $"want exactly {c.WantErrors.Count} diagnostics\n      got  {Describe(got)}")
                : new CaseOutcome(CaseStatus.Passed);
        }

        return new CaseOutcome(CaseStatus.Failed, $"want {c.WantErrors!.Count} diagnostics, compiled without error");
    }

    private static string Describe(IEnumerable<RegoError> errors) =>
        string.Join("; ", errors.Select(e => $"{e.Location?.Line}:{e.Location?.Column}: {e.Code}: {e.Reason}"));

    // Values compared as JSON: sets become sorted arrays, objects sorted keys, numbers by value.
    private static string Canonical(Value row, bool sortBindings)
    {
        if (sortBindings && row is ObjectValue o)
        {
            var b = new ObjectValue.Builder();
            foreach (var (k, v) in o)
            {
                // As OPA's runner: the binding is sorted after conversion to JSON (a set inside is then an array).
                var j = Json(v);
                b.Set(k, j is ArrayValue a ? ArrayValue.CreateRange(a.Items.ToArray().Order(ValueComparer.Instance)) : j);
            }

            row = b.ToValue();
        }

        return Json(row).ToJson();
    }

    // Re-reads the JSON form so sets and arrays compare alike; numbers lose their literal text (3.0 is 3).
    private static Value Json(Value v) => ByValue(Value.ParseJson(v.ToJson()));

    private static Value ByValue(Value v) => v switch
    {
        NumberValue n => n.WithoutLiteralText(),
        ArrayValue a => ArrayValue.CreateRange(a.Items.ToArray().Select(ByValue)),
        ObjectValue o => ObjectValue.Create(o.Select(e => KeyValuePair.Create(ByValue(e.Key), ByValue(e.Value)))),
        _ => v,
    };
}
