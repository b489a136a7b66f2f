using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>Accumulates the outputs of the rules under one rule-tree node into a document, detecting conflicts:
/// two different values at one path, a value where an object is being built, or set members mixed with either.</summary>
internal sealed class MergeNode
{
    private Value? _leaf;
    private bool _leafFromKey;
    private Dictionary<Value, MergeNode>? _children;
    private SetValue.Builder? _set;

    public bool IsEmpty => _leaf is null && _set is null && (_children is null || _children.Count == 0);

    public MergeNode Child(Value key)
    {
        _children ??= new Dictionary<Value, MergeNode>(ValueComparer.Instance);
        if (!_children.TryGetValue(key, out var child))
        {
            child = new MergeNode();
            _children.Add(key, child);
        }

        return child;
    }

    public void RemoveIfEmpty(Value key)
    {
        if (_children is not null && _children.TryGetValue(key, out var child) && child.IsEmpty)
        {
            _children.Remove(key);
        }
    }

    public void Insert(Value[] keys, Value value, bool isSetMember, Location location, int maxSize)
    {
        var cur = this;
        foreach (var key in keys)
        {
            if (cur._leaf is not null || cur._set is not null)
            {
                throw Conflict(keys.Length, location);
            }

            cur = cur.Child(key);
        }

        if (isSetMember)
        {
            if (cur._leaf is not null || cur._children is { Count: > 0 })
            {
                throw Conflict(keys.Length, location);
            }

            cur._set ??= new SetValue.Builder();
            cur._set.Add(value);
            if (cur._set.Count > maxSize)
            {
                throw new RegoEvaluationException(RegoErrorCodes.CancelError, $"evaluation exceeded the output size limit ({maxSize})", location);
            }

            return;
        }

        if (cur._set is not null || cur._children is { Count: > 0 })
        {
            throw Conflict(keys.Length, location);
        }

        if (cur._leaf is not null && !cur._leaf.Equals(value))
        {
            throw Conflict(keys.Length + (cur._leafFromKey ? 1 : 0), location);
        }

        cur._leaf = value;
        cur._leafFromKey |= keys.Length > 0;
    }

    /// <summary>Whether a value (not an object under construction) is already here.</summary>
    public bool HasValue => _leaf is not null || _set is not null;

    public void SetDefault(Value value)
    {
        if (IsEmpty)
        {
            _leaf = value;
        }
    }

    private static RegoEvaluationException Conflict(int depth, Location location) => new(
        RegoErrorCodes.ConflictError,
        depth == 0 ? "complete rules must not produce multiple outputs" : "object keys must be unique",
        location);

    public Value ToValue()
    {
        if (_leaf is not null)
        {
            return _leaf;
        }

        if (_set is not null)
        {
            return _set.ToValue();
        }

        var b = new ObjectValue.Builder(_children?.Count ?? 0);
        if (_children is not null)
        {
            foreach (var (k, c) in _children)
            {
                b.Set(k, c.ToValue());
            }
        }

        return b.ToValue();
    }
}
