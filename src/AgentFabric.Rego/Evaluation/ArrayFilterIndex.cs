using AgentFabric.Rego.Values;

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

    // Looked up with the loop's values as a span: no key is allocated per lookup.
    private readonly Dictionary<Value[], int[]>.AlternateLookup<ReadOnlySpan<Value?>> _groups;

    private ArrayFilterIndex(Value[][] paths, Dictionary<Value[], int[]> groups)
    {
        _paths = paths;
        _groups = groups.GetAlternateLookup<ReadOnlySpan<Value?>>();
    }

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
    public ReadOnlySpan<int> Find(ReadOnlySpan<Value?> values) =>
        _groups.TryGetValue(values[.._paths.Length], out var positions) ? positions : [];

    private static ArrayFilterIndex Build(ReadOnlySpan<Value> items, Value[][] paths)
    {
        var positions = new Dictionary<Value[], List<int>>(GroupComparer.Instance);
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

            if (!positions.TryGetValue(values, out var list))
            {
                positions[values] = list = [];
            }

            list.Add(i);
        }

        return new ArrayFilterIndex(paths, positions.ToDictionary(p => p.Key, p => p.Value.ToArray(), GroupComparer.Instance));
    }

    // Groups are keyed by their values, one per path, compared as Rego compares values.
    private sealed class GroupComparer : IEqualityComparer<Value[]>, IAlternateEqualityComparer<ReadOnlySpan<Value?>, Value[]>
    {
        public static readonly GroupComparer Instance = new();

        public bool Equals(Value[]? x, Value[]? y) => x is not null && y is not null && Equals((ReadOnlySpan<Value?>)x, y);

        public bool Equals(ReadOnlySpan<Value?> alternate, Value[] other)
        {
            if (alternate.Length != other.Length)
            {
                return false;
            }

            for (var j = 0; j < other.Length; j++)
            {
                if (!other[j].Equals(alternate[j]))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(Value[] obj) => GetHashCode((ReadOnlySpan<Value?>)obj);

        public int GetHashCode(ReadOnlySpan<Value?> alternate)
        {
            var hash = 0;
            foreach (var v in alternate)
            {
                hash = unchecked((hash * 31) + v!.GetHashCode());
            }

            return hash;
        }

        public Value[] Create(ReadOnlySpan<Value?> alternate) => alternate.ToArray()!;
    }
}
