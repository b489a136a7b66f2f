namespace AgentFabric.Rego;

public sealed partial class SetValue
{
    /// <summary>Builds a <see cref="SetValue"/>; elements may be added in any order, duplicates collapse.</summary>
    public sealed class Builder
    {
        private readonly List<Value> _items;
        private readonly HashSet<Value> _seen;

        /// <summary>An empty builder.</summary>
        public Builder(int capacity = 4)
        {
            _items = new List<Value>(capacity);
            _seen = new HashSet<Value>(capacity, ValueComparer.Instance);
        }

        /// <summary>A builder starting with the elements of a set.</summary>
        public Builder(SetValue start)
            : this(start.Count + 4)
        {
            foreach (var item in start._items)
            {
                Add(item);
            }
        }

        /// <summary>The number of distinct elements so far.</summary>
        public int Count => _items.Count;

        /// <summary>Adds an element; false when it was already present.</summary>
        public bool Add(Value item)
        {
            if (!_seen.Add(item))
            {
                return false;
            }

            _items.Add(item);
            return true;
        }

        /// <summary>Whether the element was added.</summary>
        public bool Contains(Value item) => _seen.Contains(item);

        /// <summary>The set.</summary>
        public SetValue ToValue()
        {
            if (_items.Count == 0)
            {
                return Empty;
            }

            var items = _items.ToArray();
            if (!ObjectValue.Builder.IsSorted(items))
            {
                Array.Sort(items, ValueComparer.Instance);
            }

            return new SetValue(items);
        }
    }
}
