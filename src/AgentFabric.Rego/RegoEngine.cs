using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Syntax;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego;

/// <summary>Entry point: parses and compiles modules into an immutable <see cref="CompiledPolicy"/> and prepares
/// queries against it. Thread-safe; one engine can serve many policies.</summary>
public sealed class RegoEngine
{
    private readonly BuiltinRegistry _builtins;

    /// <summary>An engine with the given options.</summary>
    public RegoEngine(RegoEngineOptions? options = null)
    {
        Options = options ?? new RegoEngineOptions();
        _builtins = (Options.Builtins ?? BuiltinCatalog.CreateDefault()).Freeze();
    }

    /// <summary>The options.</summary>
    public RegoEngineOptions Options { get; }

    /// <summary>Parses a module; throws <see cref="RegoParseException"/>.</summary>
    public static Module ParseModule(string name, string text, RegoVersion version = RegoVersion.V1) =>
        new Parser(text, name, version).ParseModule();

    /// <summary>Parses a module; false (with the error) when it is not valid Rego.</summary>
    public static bool TryParseModule(string name, string text, RegoVersion version, out Module? module, out RegoParseException? error)
    {
        try
        {
            module = ParseModule(name, text, version);
            error = null;
            return true;
        }
        catch (RegoParseException e)
        {
            module = null;
            error = e;
            return false;
        }
    }

    /// <summary>Parses a Rego term such as <c>{"a": {1, 2}}</c> (must be ground).</summary>
    public static Value ParseTerm(string text)
    {
        var term = new Parser(text, "term", RegoVersion.V1).ParseSingleTerm();
        return Evaluation.TermConstant.ToValue(term) ?? throw new RegoParseException("term is not a constant", term.Location);
    }

    /// <summary>Compiles modules and base data; throws <see cref="RegoParseException"/> or
    /// <see cref="RegoCompileException"/>.</summary>
    public CompiledPolicy Compile(IEnumerable<RegoModuleSource> modules, Value? data = null)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var parsed = modules.Select(m => ParseModule(m.Name, m.Text, m.Version)).ToList();
        return Compile(parsed, data);
    }

    /// <summary>Compiles modules with base data given as JSON.</summary>
    public CompiledPolicy Compile(IEnumerable<RegoModuleSource> modules, System.Text.Json.JsonElement data) =>
        Compile(modules, Value.FromJson(data));

    /// <summary>Compiles parsed modules (which become owned by the result) and base data.</summary>
    public CompiledPolicy Compile(IReadOnlyList<Module> modules, Value? data = null)
    {
        var baseData = data switch
        {
            null => ObjectValue.Empty,
            ObjectValue o => o,
            _ => throw new ArgumentException("data must be an object", nameof(data)),
        };
        var compiler = PolicyCompiler.Compile(modules, _builtins, Options.Strict);
        return new CompiledPolicy(modules, compiler.Root, compiler.DataOnlyCount, baseData, _builtins);
    }

    /// <summary>Prepares a query: a Rego query (<c>x := data.a.b; x &gt; 1</c>) or a path (<c>data.app.rbac.allow</c>),
    /// whose value is then the result.</summary>
    public PreparedQuery Prepare(CompiledPolicy policy, string query)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(query);
        var body = new Parser(query, "query", RegoVersion.V1).ParseQuery();
        var isPath = false;
        if (body.Exprs is [TermExpr { Term: RefTerm or VarTerm, Negated: false, With.Length: 0 } only])
        {
            // A bare reference: report its value as the result.
            var resultVar = new VarTerm(PreparedQuery.ResultName, only.Location);
            body.Exprs[0] = new UnifyExpr(resultVar, only.Term, isAssignment: false, only.Location);
            isPath = true;
        }

        var counter = policy.Queries.Compile(body);
        return new PreparedQuery(this, policy, body, counter, isPath);
    }

    /// <summary>Prepares a query as <c>opa eval</c> runs it: every row also carries the value of each of the query's
    /// expressions (<see cref="QueryRow.ExpressionValues"/>, described by <see cref="PreparedQuery.Expressions"/>);
    /// a bare reference is an expression like any other.</summary>
    public PreparedQuery PrepareExpressions(CompiledPolicy policy, string query)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(query);
        var body = new Parser(query, "query", RegoVersion.V1).ParseQuery();
        var expressions = QueryExpression.Split(query, body.Exprs);
        for (var i = 0; i < body.Exprs.Count; i++)
        {
            body.Exprs[i].CaptureIndex = i;
        }

        var counter = policy.Queries.Compile(body);
        return new PreparedQuery(this, policy, body, counter, isPath: false) { Expressions = expressions };
    }
}
