using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Collections;

/// <summary><c>object.subset(super, sub)</c>: objects recursively, sets by membership, arrays as contiguous
/// sub-sequences, and a set inside an array by membership regardless of order.</summary>
internal static class ObjectSubset
{
    public static Value Invoke(BuiltinContext context, ReadOnlySpan<Value> a) => (a[0], a[1]) switch
    {
        (ObjectValue super, ObjectValue sub) => BooleanValue.Create(Objects(super, sub)),
        (SetValue super, SetValue sub) => BooleanValue.Create(Sets(super, sub)),
        (ArrayValue super, ArrayValue sub) => BooleanValue.Create(Arrays(super, sub)),
        (ArrayValue super, SetValue sub) => BooleanValue.Create(SetInArray(super, sub)),
        _ => throw RegoBuiltinException.TypeError("both arguments object.subset must be of the same type or array and set"),
    };

    private static bool Objects(ObjectValue super, ObjectValue sub)
    {
        foreach (var (key, subValue) in sub)
        {
            if (!super.TryGetValue(key, out var superValue))
            {
                return false;
            }

            if (subValue.Equals(superValue))
            {
                continue;
            }

            var nested = (superValue, subValue) switch
            {
                (ObjectValue x, ObjectValue y) => Objects(x, y),
                (SetValue x, SetValue y) => Sets(x, y),
                (ArrayValue x, ArrayValue y) => Arrays(x, y),
                _ => false,
            };
            if (!nested)
            {
                return false;
            }
        }

        return true;
    }

    // Not recursive: there is no well-defined way to pair up elements of two sets.
    private static bool Sets(SetValue super, SetValue sub)
    {
        foreach (var item in sub)
        {
            if (!super.Contains(item))
            {
                return false;
            }
        }

        return true;
    }

    // sub must appear in super as a contiguous run.
    private static bool Arrays(ArrayValue super, ArrayValue sub)
    {
        var haystack = super.Items;
        var needle = sub.Items;
        if (needle.Length > haystack.Length)
        {
            return false;
        }

        for (var start = 0; start + needle.Length <= haystack.Length; start++)
        {
            var matched = true;
            for (var i = 0; i < needle.Length && matched; i++)
            {
                matched = haystack[start + i].Equals(needle[i]);
            }

            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    // Every member of sub occurs somewhere in super, in any order. (OPA counts matching elements of super, so a
    // repeated element can stand in for a missing one and an empty array holds not even the empty set; members
    // are counted once here.)
    private static bool SetInArray(ArrayValue super, SetValue sub)
    {
        foreach (var item in sub)
        {
            if (!super.Items.Contains(item))
            {
                return false;
            }
        }

        return true;
    }
}
