namespace AgentFabric.Rego.Values;

public sealed partial class SetValue
{
    /// <summary>Builds a <see cref="SetValue"/>; elements may be added in any order, duplicates collapse.</summary>
    public sealed class Builder
    {
        // Up to this many elements, duplicates are found by scanning (cached hashes first): cheaper than a hash set
        // for the small sets most rules produce.
        private const int ScanLimit = 8;

        private Value[] _items;
        private int _count;
        private HashSet<Value>? _seen;

        // The hashes of the first ScanLimit elements: a scan compares these, with no virtual call per element.
        private readonly int[] _hashes = new int[ScanLimit];

        /// <summary>An empty builder.</summary>
        public Builder(int capacity = 4)
        {
            _items = capacity <= 0 ? [] : new Value[capacity];
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
        public int Count => _count;

        /// <summary>Adds an element; false when it was already present.</summary>
        public bool Add(Value item)
        {
            var hash = item.GetHashCode();
            if (Contains(item, hash))
            {
                return false;
            }

            if (_count == _items.Length)
            {
                Array.Resize(ref _items, Math.Max(4, _count * 2));
            }

            if (_count < ScanLimit)
            {
                _hashes[_count] = hash;
            }

            // _items is always an exact Value[] (never covariant): the store needs no array type check.
            System.Runtime.CompilerServices.Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_items), _count++) = item;
            if (_seen is not null)
            {
                _seen.Add(item);
            }
            else if (_count > ScanLimit)
            {
                _seen = new HashSet<Value>(_items.AsSpan(0, _count).ToArray(), ValueComparer.Instance);
            }

            return true;
        }

        /// <summary>The distinct elements so far, in the order they were first added (not sorted).</summary>
        internal ReadOnlySpan<Value> Added => _items.AsSpan(0, _count);

        /// <summary>Whether the element was added.</summary>
        public bool Contains(Value item) => Contains(item, item.GetHashCode());

        private bool Contains(Value item, int hash)
        {
            if (_seen is not null)
            {
                return _seen.Contains(item);
            }

            var hashes = _hashes.AsSpan(0, _count);
            for (var i = 0; i < hashes.Length; i++)
            {
                if (hashes[i] == hash && _items[i].Equals(item))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The storage a builder keeps when emptied by <see cref="Reset"/> (larger ones are not reused).</summary>
        internal const int MaxReusedCapacity = 64;

        /// <summary>Empties the builder so it can build another set; false when its storage grew too large to be
        /// worth keeping (the caller then drops it).</summary>
        internal bool Reset()
        {
            if (_items.Length > MaxReusedCapacity)
            {
                return false;
            }

            Array.Clear(_items, 0, _count);
            _count = 0;
            _seen = null;
            return true;
        }

        /// <summary>The set.</summary>
        public SetValue ToValue()
        {
            if (_count == 0)
            {
                return Empty;
            }

            var items = _items.AsSpan(0, _count).ToArray();
            if (!ObjectValue.Builder.IsSorted(items))
            {
                items.AsSpan().Sort(ValueComparer.Ordering);
            }

            return new SetValue(items);
        }
    }
}
