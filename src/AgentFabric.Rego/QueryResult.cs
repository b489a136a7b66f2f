using System.Text;
using System.Text.Json;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego;

/// <summary>One solution of a query: the value of each query variable.</summary>
public sealed class QueryRow
{
    private readonly (string Name, int Slot)[] _names;
    private readonly Value[] _values;

    internal QueryRow((string Name, int Slot)[] names, Value[] values, Value[] expressionValues)
    {
        _names = names;
        _values = values;
        ExpressionValues = expressionValues;
    }

    /// <summary>The value of each query expression (see <see cref="PreparedQuery.Expressions"/>) in this solution;
    /// empty unless the query was prepared with <see cref="RegoEngine.PrepareExpressions"/>.</summary>
    public IReadOnlyList<Value> ExpressionValues { get; }

    /// <summary>The bindings, by variable name.</summary>
    public IReadOnlyDictionary<string, Value> Bindings
    {
        get
        {
            var d = new Dictionary<string, Value>(StringComparer.Ordinal);
            for (var i = 0; i < _names.Length; i++)
            {
                if (_names[i].Name != PreparedQuery.ResultName)
                {
                    d[_names[i].Name] = _values[i];
                }
            }

            return d;
        }
    }

    /// <summary>The value of a variable, or null.</summary>
    public Value? this[string name]
    {
        get
        {
            for (var i = 0; i < _names.Length; i++)
            {
                if (_names[i].Name == name)
                {
                    return _values[i];
                }
            }

            return null;
        }
    }
}

/// <summary>The solutions of a query.</summary>
public sealed class QueryResult
{
    private readonly Value? _pathValue;
    private readonly (string Name, int Slot)[]? _pathOutputs;
    private IReadOnlyList<QueryRow>? _rows;

    internal QueryResult(IReadOnlyList<QueryRow> rows, bool isPath)
    {
        _rows = rows;
        IsPath = isPath;
    }

    // A path query evaluated directly: its one row is built only if someone asks for the rows.
    internal QueryResult(Value? pathValue, (string Name, int Slot)[] outputs)
    {
        _pathValue = pathValue;
        _pathOutputs = outputs;
        IsPath = true;
    }

    /// <summary>One row per solution; empty when the query is undefined.</summary>
    public IReadOnlyList<QueryRow> Rows
    {
        get
        {
            if (_rows is null)
            {
                IReadOnlyList<QueryRow> rows = _pathValue is null ? [] : [new QueryRow(_pathOutputs!, [_pathValue], [])];

                // A shared result may be read by several threads; all of them see the same list.
                Interlocked.CompareExchange(ref _rows, rows, null);
            }

            return _rows;
        }
    }

    /// <summary>Whether the query had at least one solution.</summary>
    public bool IsDefined => _pathOutputs is not null ? _pathValue is not null : Rows.Count > 0;

    private bool IsPath { get; }

    /// <summary>For a path query: its value (null when undefined).</summary>
    public Value? Value => _pathOutputs is not null ? _pathValue : IsPath && Rows.Count > 0 ? Rows[0][PreparedQuery.ResultName] : null;

    /// <summary>For a path query: whether its value is <c>true</c> (the usual allow decision).</summary>
    public bool IsTrue => Value is BooleanValue { Value: true };

    /// <summary>OPA's REST response: <c>{"result": value}</c> for a path query (<c>{}</c> when undefined), or
    /// <c>{"result": [{"x": ...}, ...]}</c> rows of bindings for a general query.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { MaxDepth = Value.MaxWriteDepth }))
        {
            w.WriteStartObject();
            if (IsPath)
            {
                if (Value is { } v)
                {
                    w.WritePropertyName("result");
                    v.WriteJson(w);
                }
            }
            else
            {
                w.WritePropertyName("result");
                w.WriteStartArray();
                foreach (var row in Rows)
                {
                    w.WriteStartObject();
                    foreach (var (name, value) in row.Bindings.OrderBy(b => b.Key, StringComparer.Ordinal))
                    {
                        w.WritePropertyName(name);
                        value.WriteJson(w);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
