namespace AgentFabric.Rego.Builtins.GraphQl;

// GraphQL spec §5.3.2 field selection merging: fields with one response name must be mergeable. This checks the
// rule's core (same field and arguments unless the parents are distinct object types, compatible result types,
// and recursively mergeable sub-selections) without the spec's full pairwise fragment analysis.
internal sealed partial class GqlValidator
{
    private readonly record struct FieldAndParent(GqlField Field, GqlDefinition Parent, GqlFieldDefinition? Definition);

    private void CheckMergeable(List<GqlSelection> selections, GqlDefinition parent)
    {
        var fields = new List<FieldAndParent>();
        Collect(selections, parent, fields, new HashSet<string>(StringComparer.Ordinal));
        if (FirstConflict(fields) is { } conflict)
        {
            throw Error(conflict.At, $"Fields \"{conflict.Name}\" conflict because {conflict.Reason}. Use different aliases on the fields to fetch both if this was intentional.");
        }
    }

    private readonly record struct Conflict(string Name, string Reason, GqlPosition At);

    private Conflict? FirstConflict(List<FieldAndParent> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            for (var j = i + 1; j < fields.Count; j++)
            {
                var (a, b) = (fields[i], fields[j]);
                if (a.Field.Alias != b.Field.Alias || ReferenceEquals(a.Field, b.Field))
                {
                    continue;
                }

                if (Reason(a, b) is { } reason)
                {
                    return new Conflict(a.Field.Alias, reason, b.Field.Position);
                }
            }
        }

        return null;
    }

    private string? Reason(FieldAndParent a, FieldAndParent b)
    {
        // Fields on two different object types can never both apply, so only their types must agree.
        var exclusive = a.Parent != b.Parent && a.Parent.Kind == "OBJECT" && b.Parent.Kind == "OBJECT";
        if (!exclusive)
        {
            if (a.Field.Name != b.Field.Name)
            {
                return $"{a.Field.Name} and {b.Field.Name} are different fields";
            }

            if (!SameArguments(a.Field.Arguments, b.Field.Arguments))
            {
                return "they have differing arguments";
            }
        }

        var ta = a.Definition?.Type;
        var tb = b.Definition?.Type;
        if (ta is not null && tb is not null && ta.ToString() != tb.ToString())
        {
            return $"they return conflicting types \"{ta}\" and \"{tb}\"";
        }

        if (a.Field.SelectionSet.Count > 0 && b.Field.SelectionSet.Count > 0 && ta is not null && tb is not null &&
            _schema.Types.TryGetValue(GqlSchema.NameOf(ta), out var pa) && _schema.Types.TryGetValue(GqlSchema.NameOf(tb), out var pb))
        {
            var sub = new List<FieldAndParent>();
            Collect(a.Field.SelectionSet, pa, sub, new HashSet<string>(StringComparer.Ordinal));
            Collect(b.Field.SelectionSet, pb, sub, new HashSet<string>(StringComparer.Ordinal));
            if (FirstConflict(sub) is { } inner)
            {
                return $"subfields \"{inner.Name}\" conflict because {inner.Reason}";
            }
        }

        return null;
    }

    private static bool SameArguments(List<GqlArgument> a, List<GqlArgument> b) =>
        a.Count == b.Count && a.All(x => b.Any(y => y.Name == x.Name && SameValue(x.Value, y.Value)));

    private static bool SameValue(GqlValue? a, GqlValue? b) =>
        a is null || b is null ? a == b : a.Kind == b.Kind && a.Raw == b.Raw && a.Children.Count == b.Children.Count &&
            a.Children.Zip(b.Children).All(p => p.First.Name == p.Second.Name && SameValue(p.First.Value, p.Second.Value));

    // The fields a selection set selects, through inline fragments and fragment spreads, with their parent types.
    private void Collect(List<GqlSelection> selections, GqlDefinition parent, List<FieldAndParent> into, HashSet<string> spreads)
    {
        foreach (var s in selections)
        {
            switch (s)
            {
                case GqlField f:
                    into.Add(new FieldAndParent(f, parent, parent.Fields.FirstOrDefault(d => d.Name == f.Name)));
                    break;
                case GqlInlineFragment i:
                    Collect(i.SelectionSet, i.TypeCondition.Length > 0 && _schema.Types.TryGetValue(i.TypeCondition, out var t) ? t : parent, into, spreads);
                    break;
                case GqlFragmentSpread spread when spreads.Add(spread.Name) && _fragments.TryGetValue(spread.Name, out var def)
                    && _schema.Types.TryGetValue(def.TypeCondition, out var ft):
                    Collect(def.SelectionSet, ft, into, spreads);
                    break;
            }
        }
    }
}
