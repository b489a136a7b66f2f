using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego;

/// <summary>One diagnostic: an OPA error code, a reason and a location. <see cref="ToString"/> is OPA's text,
/// <c>file:line: code: reason</c>.</summary>
public sealed record RegoError(string Code, string Reason, Location? Location)
{
    /// <summary>OPA's text of the diagnostic: <c>file:line: code: reason</c>, or <c>code: reason</c> without a
    /// location.</summary>
    public override string ToString() => RegoException.Format(Code, Reason, Location);

    /// <summary>Orders diagnostics as OPA's <c>Errors.Sort</c>: by file, line and column (an error without a location
    /// first), then by text.</summary>
    internal static int CompareByLocation(RegoError? a, RegoError? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null || b is null)
        {
            return a is null ? -1 : 1;
        }

        var c = (a.Location, b.Location) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            ({ } x, { } y) => CompareLocations(x, y),
        };
        return c != 0 ? c : string.CompareOrdinal(a.ToString(), b.ToString());
    }

    private static int CompareLocations(Location x, Location y)
    {
        var c = string.CompareOrdinal(x.File, y.File);
        if (c == 0)
        {
            c = x.Line.CompareTo(y.Line);
        }

        return c != 0 ? c : x.Column.CompareTo(y.Column);
    }
}
