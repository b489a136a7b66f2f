using System.Text;
using System.Text.Json;

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
    internal QueryResult(IReadOnlyList<QueryRow> rows, bool isPath)
    {
        Rows = rows;
        IsPath = isPath;
    }

    /// <summary>One row per solution; empty when the query is undefined.</summary>
    public IReadOnlyList<QueryRow> Rows { get; }

    /// <summary>Whether the query had at least one solution.</summary>
    public bool IsDefined => Rows.Count > 0;

    private bool IsPath { get; }

    /// <summary>For a path query: its value (null when undefined).</summary>
    public Value? Value => IsPath && Rows.Count > 0 ? Rows[0][PreparedQuery.ResultName] : null;

    /// <summary>For a path query: whether its value is <c>true</c> (the usual allow decision).</summary>
    public bool IsTrue => Value is BooleanValue { Value: true };

    /// <summary>OPA's REST response: <c>{"result": value}</c> for a path query (<c>{}</c> when undefined), or
    /// <c>{"result": [{"x": ...}, ...]}</c> rows of bindings for a general query.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
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
