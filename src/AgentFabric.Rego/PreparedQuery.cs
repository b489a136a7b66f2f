using System.Text.Json;
using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Evaluation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego;

/// <summary>A compiled query bound to a <see cref="CompiledPolicy"/>. Immutable and thread-safe: evaluate it
/// concurrently as often as needed.</summary>
public sealed class PreparedQuery
{
    internal const string ResultName = "__result__";

    private readonly RegoEngine _engine;
    private readonly Body _body;
    private readonly int _slotCount;
    private readonly (string Name, int Slot)[] _outputs;
    private readonly Term? _pathTerm;
    private readonly RuleNode? _leaf;
    private QueryResult? _undefined;
    private QueryResult? _true;
    private QueryResult? _false;

    internal PreparedQuery(RegoEngine engine, CompiledPolicy policy, Body body, SlotCounter counter, bool isPath)
    {
        _engine = engine;
        Policy = policy;
        _body = body;
        _slotCount = counter.Count;
        IsPath = isPath;
        var top = counter.Owners.Count > 0 ? counter.Owners[0] : null;
        var outputs = new List<(string, int)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < counter.Count; i++)
        {
            var name = counter.Names[i];
            if (name == "_" || !ReferenceEquals(counter.Owners[i].Parent, null) || !seen.Add(name))
            {
                continue;
            }

            outputs.Add((name, i));
        }

        _ = top;
        _outputs = outputs.ToArray();
        _pathTerm = IsPath && _outputs.Length == 1 ? Evaluator.PathTerm(body) : null;
        _leaf = _pathTerm is null ? null : Evaluator.QueriedLeaf(policy, _pathTerm);
        VariableNames = _outputs.Select(o => o.Name).Where(n => n != ResultName).ToArray();
    }

    /// <summary>The policy the query was prepared against.</summary>
    public CompiledPolicy Policy { get; }

    /// <summary>Whether the query was a path whose value is the result.</summary>
    public bool IsPath { get; }

    /// <summary>The query's variables, reported in each row.</summary>
    public IReadOnlyList<string> VariableNames { get; }

    /// <summary>The query's expressions when prepared with <see cref="RegoEngine.PrepareExpressions"/>; empty
    /// otherwise.</summary>
    public IReadOnlyList<QueryExpression> Expressions { get; internal init; } = [];

    /// <summary>Evaluates with an input value (null: no input).</summary>
    public QueryResult Evaluate(Value? input = null, CancellationToken cancellationToken = default, EvaluationSettings? settings = null)
    {
        var options = _engine.Options;
        var limits = settings?.Limits ?? options.Limits;
        var evaluator = Evaluator.Rent(
            Policy,
            input,
            settings?.TimeProvider ?? options.TimeProvider,
            cancellationToken,
            settings?.StrictBuiltinErrors ?? options.StrictBuiltinErrors,
            settings?.Print ?? options.Print,
            limits);
        QueryResult result;
        var completed = false;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_leaf is not null)
            {
                // The usual decision query: the path of a rule, its value computed straight away.
                result = PathResult(evaluator.QueriedLeafValue(_leaf));
            }
            else if (_pathTerm is not null && evaluator.TryEvalPath(_pathTerm, _slotCount, out var pathValue))
            {
                // The common decision query: a single reference, evaluated without the query machinery.
                result = PathResult(pathValue);
            }
            else
            {
                result = RunGeneral(evaluator, limits);
            }

            completed = true;
        }
        catch (OperationCanceledException e)
        {
            throw new RegoEvaluationException(RegoErrorCodes.CancelError, "caller cancelled query execution", null, e);
        }
        catch (InsufficientExecutionStackException e)
        {
            throw new RegoEvaluationException(RegoErrorCodes.CancelError, "evaluation exceeded the maximum nesting depth", null, e);
        }
        finally
        {
            // After an exception the evaluator may be half-way through a computation: the thread gets a new one.
            if (completed)
            {
                evaluator.Return();
            }
            else
            {
                evaluator.Abandon();
            }
        }

        return result;
    }

    // Results are immutable, so the usual decisions (undefined, true, false) share one instance each.
    private QueryResult PathResult(Value? value) => value switch
    {
        null => _undefined ??= new QueryResult(null, _outputs),
        _ when ReferenceEquals(value, BooleanValue.True) => _true ??= new QueryResult(value, _outputs),
        _ when ReferenceEquals(value, BooleanValue.False) => _false ??= new QueryResult(value, _outputs),
        _ => new QueryResult(value, _outputs),
    };

    // Every solution of the query, one row each.
    private QueryResult RunGeneral(Evaluator evaluator, EvaluationLimits limits)
    {
        var rows = new List<QueryRow>(1);
        var captured = Expressions.Count > 0 ? new Value?[Expressions.Count] : null;
        Func<Value?[], bool> onSolution = frame =>
        {
            var values = new Value[_outputs.Length];
            for (var i = 0; i < _outputs.Length; i++)
            {
                values[i] = frame[_outputs[i].Slot] ?? NullValue.Instance;
            }

            // Expressions that are not plain terms (assignments, unifications, some, not) are true when satisfied.
            var exprValues = captured is null ? [] : captured.Select(v => v ?? BooleanValue.True).ToArray();
            rows.Add(new QueryRow(_outputs, values, exprValues));
            if (rows.Count > limits.MaxOutputSize)
            {
                throw new RegoEvaluationException(RegoErrorCodes.CancelError, $"evaluation exceeded the output size limit ({limits.MaxOutputSize})", null);
            }

            return true;
        };
        if (captured is null)
        {
            evaluator.Run(_body, _slotCount, onSolution);
        }
        else
        {
            evaluator.Run(_body, _slotCount, captured, onSolution);
        }

        return new QueryResult(rows, IsPath);
    }

    /// <summary>Evaluates with an input given as JSON.</summary>
    public QueryResult Evaluate(JsonElement input, CancellationToken cancellationToken = default, EvaluationSettings? settings = null) =>
        Evaluate(Value.FromJson(input), cancellationToken, settings);

    /// <summary>Evaluates with an input given as JSON text.</summary>
    public QueryResult EvaluateJson(string inputJson, CancellationToken cancellationToken = default, EvaluationSettings? settings = null) =>
        Evaluate(Value.ParseJson(inputJson), cancellationToken, settings);
}
