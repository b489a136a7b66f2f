using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Builtins.Patterns;

/// <summary><c>regex.globs_match</c>: whether two regex-style globs both match some non-empty string. The glob
/// dialect has literal characters, <c>.</c> (any character), classes <c>[a-z]</c> (ranges, no negation), and the
/// flags <c>+</c> and <c>*</c> on the preceding item; <c>\</c> escapes anything. Both globs are anchored.</summary>
/// <remarks>Decided exactly by a breadth-first search of the product of the two globs' automata.</remarks>
internal static class RegexGlobIntersection
{
    public static bool NonEmpty(string left, string right)
    {
        var a = Tokenize(left);
        var b = Tokenize(right);
        var seen = new HashSet<(int, int, bool)>();
        var queue = new Queue<(int I, int J, bool Consumed)>();
        foreach (var i in Closure(a, 0))
        {
            foreach (var j in Closure(b, 0))
            {
                if (seen.Add((i, j, false)))
                {
                    queue.Enqueue((i, j, false));
                }
            }
        }

        while (queue.Count > 0)
        {
            var (i, j, consumed) = queue.Dequeue();
            if (consumed && i == a.Count && j == b.Count)
            {
                return true;
            }

            if (i == a.Count || j == b.Count || !Overlaps(a[i], b[j]))
            {
                continue;
            }

            // Consuming one character: a starred item may stay, any item may move on.
            var nextA = a[i].Star ? Closure(a, i).Concat(Closure(a, i + 1)) : Closure(a, i + 1);
            var nextB = b[j].Star ? Closure(b, j).Concat(Closure(b, j + 1)) : Closure(b, j + 1);
            foreach (var ni in nextA.Distinct())
            {
                foreach (var nj in nextB.Distinct())
                {
                    if (seen.Add((ni, nj, true)))
                    {
                        queue.Enqueue((ni, nj, true));
                    }
                }
            }
        }

        return false;
    }

    // The positions reachable from k by skipping starred items.
    private static List<int> Closure(List<Item> glob, int k)
    {
        var result = new List<int> { k };
        while (k < glob.Count && glob[k].Star)
        {
            result.Add(++k);
        }

        return result;
    }

    private static bool Overlaps(Item x, Item y)
    {
        if (x.Any)
        {
            return y.Any || y.Chars.Count > 0;
        }

        if (y.Any)
        {
            return x.Chars.Count > 0;
        }

        return x.Chars.Overlaps(y.Chars);
    }

    private static List<Item> Tokenize(string input)
    {
        var runes = StringsText.Runes(input);
        var items = new List<Item>();
        var i = 0;
        while (i < runes.Length)
        {
            var (r, escaped) = NextRune(input, runes, ref i);
            Item item;
            if (!escaped && r == '.')
            {
                item = new Item(true, [], false);
            }
            else if (!escaped && r == ']')
            {
                throw Invalid(input, i, "set-close ']' with no preceding '['");
            }
            else if (!escaped && r == '[')
            {
                item = new Item(false, ParseSet(input, runes, ref i), false);
            }
            else if (!escaped && r is '+' or '*')
            {
                throw Invalid(input, i, $"flag '{(char)r}' must be preceded by a non-flag");
            }
            else
            {
                item = new Item(false, [r], false);
            }

            if (i < runes.Length && runes[i] is '+' or '*')
            {
                // x+ is x followed by x*.
                var flag = runes[i++];
                if (flag == '+')
                {
                    items.Add(item);
                }

                item = item with { Star = true };
            }

            items.Add(item);
        }

        return items;
    }

    private static HashSet<int> ParseSet(string input, int[] runes, ref int i)
    {
        var set = new HashSet<int>();
        var prev = 0;
        var prevExists = false;
        while (i < runes.Length)
        {
            var (r, escaped) = NextRune(input, runes, ref i);
            if (escaped)
            {
                set.Add(r);
                (prev, prevExists) = (r, true);
                continue;
            }

            switch (r)
            {
                case ']':
                    return set;
                case '-':
                    if (!prevExists)
                    {
                        throw Invalid(input, i, "range character '-' must be preceded by a Unicode character");
                    }

                    if (i >= runes.Length - 1)
                    {
                        throw Invalid(input, i, "range character '-' must be followed by a Unicode character");
                    }

                    var (hi, hiEscaped) = NextRune(input, runes, ref i);
                    if (!hiEscaped && hi is ']' or '-')
                    {
                        throw Invalid(input, i, "range character '-' cannot be followed by a special symbol");
                    }

                    if (hi < prev)
                    {
                        throw Invalid(input, i, $"range is out of order: '{char.ConvertFromUtf32(hi)}' comes before '{char.ConvertFromUtf32(prev)}' in Unicode");
                    }

                    for (var x = prev; x <= hi; x++)
                    {
                        set.Add(x);
                    }

                    prevExists = false;
                    break;
                default:
                    set.Add(r);
                    (prev, prevExists) = (r, true);
                    break;
            }
        }

        throw Invalid(input, i, "found [ without matching ]");
    }

    private static (int Rune, bool Escaped) NextRune(string input, int[] runes, ref int i)
    {
        if (runes[i] != '\\')
        {
            return (runes[i++], false);
        }

        if (i == runes.Length - 1)
        {
            throw Invalid(input, i, "input ends with a \\ (escape) character");
        }

        i += 2;
        return (runes[i - 1], true);
    }

    private static RegexGlobException Invalid(string input, int pos, string message) =>
        new($"input:{input}, pos:{pos}, {message}: the input provided is invalid");

    private readonly record struct Item(bool Any, HashSet<int> Chars, bool Star);
}

/// <summary>A glob that <c>regex.globs_match</c> cannot parse.</summary>
internal sealed class RegexGlobException(string message) : Exception(message);
