namespace AgentFabric.Rego.Values;

public sealed partial class ObjectValue
{
    /// <summary>Builds an <see cref="ObjectValue"/>; entries may be added in any order.</summary>
    public sealed class Builder
    {
        private readonly List<Value> _keys;
        private readonly List<Value> _values;
        private readonly Dictionary<Value, int> _positions;

        /// <summary>An empty builder.</summary>
        public Builder(int capacity = 4)
        {
            _keys = new List<Value>(capacity);
            _values = new List<Value>(capacity);
            _positions = new Dictionary<Value, int>(capacity, ValueComparer.Instance);
        }

        /// <summary>A builder starting with the entries of an object.</summary>
        public Builder(ObjectValue start)
            : this(start.Count + 1)
        {
            for (var i = 0; i < start._keys.Length; i++)
            {
                Set(start._keys[i], start._values[i]);
            }
        }

        /// <summary>The number of entries so far.</summary>
        public int Count => _keys.Count;

        /// <summary>Adds an entry; returns false (and changes nothing) when the key is already present.</summary>
        public bool TryAdd(Value key, Value value)
        {
            if (!_positions.TryAdd(key, _keys.Count))
            {
                return false;
            }

            _keys.Add(key);
            _values.Add(value);
            return true;
        }

        /// <summary>Adds an entry or replaces the value of an existing key.</summary>
        public void Set(Value key, Value value)
        {
            if (_positions.TryGetValue(key, out var i))
            {
                _values[i] = value;
                return;
            }

            TryAdd(key, value);
        }

        /// <summary>Adds a string-keyed entry or replaces its value.</summary>
        public void Set(string key, Value value) => Set(StringValue.Key(key), value);

        /// <summary>The value added for a key so far, or null.</summary>
        public Value? Get(Value key) => _positions.TryGetValue(key, out var i) ? _values[i] : null;

        /// <summary>The object.</summary>
        public ObjectValue ToValue()
        {
            if (_keys.Count == 0)
            {
                return Empty;
            }

            var keys = _keys.ToArray();
            var values = _values.ToArray();
            if (!IsSorted(keys))
            {
                Array.Sort(keys, values, ValueComparer.Instance);
            }

            return new ObjectValue(keys, values);
        }

        internal static bool IsSorted(Value[] keys)
        {
            for (var i = 1; i < keys.Length; i++)
            {
                if (ValueComparer.Compare(keys[i - 1], keys[i]) > 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
