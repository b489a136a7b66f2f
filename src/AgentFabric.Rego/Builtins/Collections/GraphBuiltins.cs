using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Collections;

internal static class GraphBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var vertices = RegoType.AnyOf(RegoType.ArrayOf(RegoType.Any), RegoType.SetOf(RegoType.Any));
        var graph = RegoType.ObjectOf(RegoType.Any, vertices);
        r.Register("graph.reachable", [graph, vertices], RegoType.SetOf(RegoType.Any), GraphFunctions.Reachable);
        r.Register("graph.reachable_paths", [graph, vertices], RegoType.SetOf(RegoType.ArrayOf(RegoType.Any)), GraphFunctions.ReachablePaths);
    }
}

/// <summary>The graph family. A graph is an object from vertex to its neighbours (an array or a set; any other
/// value, e.g. null, means no neighbours). Vertices that are not keys of the graph are never reached.</summary>
internal static class GraphFunctions
{
    private const int MaxPathSteps = 200_000;

    public static Value Reachable(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var graph = BuiltinArgs.Object(a, 0);
        var queue = new Queue<Value>(Vertices(a[1]) ?? throw CollectionOperandErrors.OneOfInOrder(1, a[1], "array", "set"));
        var reached = new SetValue.Builder();
        while (queue.Count > 0)
        {
            context.ThrowIfCancellationRequested();
            var node = queue.Dequeue();
            if (!graph.TryGetValue(node, out var edges) || !reached.Add(node))
            {
                continue;
            }

            foreach (var neighbour in Vertices(edges) ?? [])
            {
                if (!reached.Contains(neighbour))
                {
                    queue.Enqueue(neighbour);
                }
            }
        }

        return reached.ToValue();
    }

    // Every maximal path from each initial vertex: a path ends at a vertex without neighbours, before a vertex that
    // is not in the graph, or where the next step would revisit a vertex of the path (a cycle).
    public static Value ReachablePaths(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var graph = BuiltinArgs.Object(a, 0);
        var initial = Vertices(a[1]) ?? throw CollectionOperandErrors.OneOfInOrder(1, a[1], "array", "set");
        var paths = new SetValue.Builder();
        var path = new List<Value>();
        var steps = 0;
        foreach (var node in initial)
        {
            if (graph.ContainsKey(node))
            {
                Extend(context, graph, node, path, paths, ref steps);
            }
        }

        return paths.ToValue();
    }

    private static void Extend(BuiltinContext context, ObjectValue graph, Value node, List<Value> path, SetValue.Builder paths, ref int steps)
    {
        context.ThrowIfCancellationRequested();

        // The number of paths can grow exponentially with the graph; builtins run outside the evaluator's limits.
        if (++steps > MaxPathSteps)
        {
            throw new RegoBuiltinException($"graph has too many paths (more than {MaxPathSteps} steps)");
        }

        if (!graph.TryGetValue(node, out var edges))
        {
            paths.Add(ArrayValue.CreateRange(path));
            return;
        }

        path.Add(node);
        var neighbours = Vertices(edges) ?? [];
        if (neighbours.Length == 0)
        {
            paths.Add(ArrayValue.CreateRange(path));
        }

        foreach (var next in neighbours)
        {
            if (path.Contains(next))
            {
                paths.Add(ArrayValue.CreateRange(path));
            }
            else
            {
                Extend(context, graph, next, path, paths, ref steps);
            }
        }

        path.RemoveAt(path.Count - 1);
    }

    private static Value[]? Vertices(Value collection) => collection switch
    {
        ArrayValue x => x.Items.ToArray(),
        SetValue s => s.Items.ToArray(),
        _ => null,
    };
}
