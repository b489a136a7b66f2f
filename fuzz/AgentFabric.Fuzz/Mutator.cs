using System.Text;

namespace AgentFabric.Fuzz;

/// <summary>Makes a new input from a corpus entry: byte flips, random bytes, deletions, duplications, splices with
/// another entry, dictionary tokens, and runs of one token (deep nesting is where recursive parsers break).</summary>
internal sealed class Mutator(Random random, IReadOnlyList<string> dictionary, int maxLength)
{
    private readonly byte[][] _tokens = [.. dictionary.Select(Encoding.UTF8.GetBytes)];

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        var rounds = 1 + random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            MutateOnce(data, corpus);
        }

        if (data.Count > maxLength)
        {
            data.RemoveRange(maxLength, data.Count - maxLength);
        }

        return [.. data];
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        var at = random.Next(data.Count + 1);
        switch (random.Next(10))
        {
            case 0 when data.Count > 0:
                data[Math.Min(at, data.Count - 1)] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[Math.Min(at, data.Count - 1)] = Interesting[random.Next(Interesting.Length)];
                break;
            case 2:
                data.Insert(at, (byte)random.Next(256));
                break;
            case 3 when data.Count > 0:
                var length = Math.Min(1 + random.Next(16), data.Count - Math.Min(at, data.Count - 1));
                data.RemoveRange(Math.Min(at, data.Count - 1), length);
                break;
            case 4 when data.Count > 0:
                var from = random.Next(data.Count);
                var count = Math.Min(1 + random.Next(32), data.Count - from);
                data.InsertRange(at, data.GetRange(from, count));
                break;
            case 5 when corpus.Count > 0:
                var other = corpus[random.Next(corpus.Count)];
                if (other.Length > 0)
                {
                    var start = random.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(start, Math.Min(other.Length - start, 1 + random.Next(64))).ToArray());
                }

                break;
            case 6 or 7 when _tokens.Length > 0:
                data.InsertRange(at, _tokens[random.Next(_tokens.Length)]);
                break;
            case 8 when _tokens.Length > 0:
                var token = _tokens[random.Next(_tokens.Length)];
                var times = random.Next(4) == 0 ? 1 + random.Next(5_000) : 1 + random.Next(64);
                for (var t = 0; t < times; t++)
                {
                    data.InsertRange(at, token);
                }

                break;
            case 9 when data.Count > 1:
                data.RemoveRange(at == 0 ? 1 : Math.Min(at, data.Count - 1), data.Count - (at == 0 ? 1 : Math.Min(at, data.Count - 1)));
                break;
            default:
                data.Insert(at, (byte)random.Next(32, 127));
                break;
        }
    }

    private static readonly byte[] Interesting = [0, 1, 0x7f, 0x80, 0xff, (byte)'"', (byte)'\\', (byte)'{', (byte)'[', (byte)'%', 0xc0, 0xed, 0xf4];
}
