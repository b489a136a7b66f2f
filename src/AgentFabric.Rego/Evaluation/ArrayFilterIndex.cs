namespace AgentFabric.Rego.Evaluation;

/// <summary>The positions of an array's elements grouped by their values at a few constant key paths, so that a loop
/// <c>some p in xs; p.action == a; p.resource == r</c> visits only the elements whose fields equal <c>(a, r)</c>
/// instead of testing each one, and <c>x in xs</c> is a lookup (an index on the elements themselves,
/// <see cref="Elements"/>). Positions keep the array's order, so a loop sees the same elements in the same order as
/// a scan. An element without a value at one of the paths is in no group (no filter on it could hold).</summary>
/// <remarks>Immutable once built. Values are immutable too, so an index stays right for as long as its array lives;
/// it is kept on the array (see <see cref="For"/>), which for data documents means as long as the compiled policy.</remarks>
internal sealed class ArrayFilterIndex
{
    /// <summary>Arrays shorter than this are scanned: testing a few elements costs less than hashing the values.</summary>
    public const int MinLength = 8;

    // An array is indexed on its second filtered scan: an array seen once (an input scanned by one evaluation)
    // never pays for an index.
    private const int ScansBeforeIndexing = 1;

    // At most this many key-path sets are indexed per array; a further one is scanned.
    private const int MaxPerArray = 4;

    /// <summary>The one path of the index on the elements themselves (<c>x in xs</c>).</summary>
    public static readonly Value[][] Elements = [[]];

    private readonly Value[][] _paths;
    private readonly Group[] _groups;
    private readonly int _mask;

    private ArrayFilterIndex(Value[][] paths, Group[] groups)
    {
        _paths = paths;
        _groups = groups;
        _mask = groups.Length - 1;
    }

    private readonly record struct Group(int Hash, Value[] Values, int[] Positions);

    /// <summary>The index of <paramref name="array"/> on <paramref name="paths"/> (the same array instance each
    /// time for the same filters), built on the array's second filtered scan; null when the array is scanned.</summary>
    public static ArrayFilterIndex? For(ArrayValue array, Value[][] paths)
    {
        var known = Volatile.Read(ref array.FilterIndexes);
        if (known is not null)
        {
            foreach (var index in known)
            {
                if (ReferenceEquals(index._paths, paths))
                {
                    return index;
                }
            }

            if (known.Length >= MaxPerArray)
            {
                return null;
            }
        }

        // A racing count or a lost publication only means an index is built again: never a wrong answer.
        if (array.FilterScans < ScansBeforeIndexing)
        {
            array.FilterScans++;
            return null;
        }

        var built = Build(array.Items, paths);
        Volatile.Write(ref array.FilterIndexes, known is null ? [built] : [.. known, built]);
        return built;
    }

    /// <summary>The positions of the elements whose values at the paths equal <paramref name="values"/> (one per
    /// path, none undefined), in array order; empty when there are none.</summary>
    public ReadOnlySpan<int> Find(ReadOnlySpan<Value?> values)
    {
        var hash = 0;
        for (var j = 0; j < _paths.Length; j++)
        {
            hash = Combine(hash, values[j]!.GetHashCode());
        }

        for (var slot = hash & _mask; ; slot = (slot + 1) & _mask)
        {
            var g = _groups[slot];
            if (g.Values is null)
            {
                return [];
            }

            if (g.Hash == hash && SameValues(g.Values, values))
            {
                return g.Positions;
            }
        }
    }

    private static ArrayFilterIndex Build(ReadOnlySpan<Value> items, Value[][] paths)
    {
        var positions = new Dictionary<Key, List<int>>();
        for (var i = 0; i < items.Length; i++)
        {
            var values = new Value[paths.Length];
            var defined = true;
            for (var j = 0; j < paths.Length && defined; j++)
            {
                var v = Evaluator.LookupPath(items[i], paths[j]);
                defined = v is not null;
                values[j] = v!;
            }

            if (!defined)
            {
                continue;
            }

            var key = new Key(values);
            if (!positions.TryGetValue(key, out var list))
            {
                positions[key] = list = [];
            }

            list.Add(i);
        }

        // Open addressing at most half full: a probe ends at an empty slot after a step or two.
        var size = 2;
        while (size < positions.Count * 2)
        {
            size *= 2;
        }

        var groups = new Group[size];
        foreach (var (key, list) in positions)
        {
            var slot = key.Hash & (size - 1);
            while (groups[slot].Values is not null)
            {
                slot = (slot + 1) & (size - 1);
            }

            groups[slot] = new Group(key.Hash, key.Values, [.. list]);
        }

        return new ArrayFilterIndex(paths, groups);
    }

    private static bool SameValues(Value[] a, ReadOnlySpan<Value?> b)
    {
        for (var j = 0; j < a.Length; j++)
        {
            if (!a[j].Equals(b[j]))
            {
                return false;
            }
        }

        return true;
    }

    private static int Combine(int hash, int next) => unchecked((hash * 31) + next);

    private readonly struct Key(Value[] values) : IEquatable<Key>
    {
        public readonly Value[] Values = values;

        public int Hash { get; } = HashOf(values);

        public bool Equals(Key other) => SameValues(Values, other.Values);

        public override bool Equals(object? obj) => obj is Key k && Equals(k);

        public override int GetHashCode() => Hash;

        private static int HashOf(Value[] values)
        {
            var hash = 0;
            foreach (var v in values)
            {
                hash = Combine(hash, v.GetHashCode());
            }

            return hash;
        }
    }
}
