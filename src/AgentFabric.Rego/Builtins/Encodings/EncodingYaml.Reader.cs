using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AgentFabric.Rego.Builtins.Encodings;

// The first document of a YAML stream read from the parser's events with an explicit stack, so that a deeply nested
// document is an error at MaxDepth instead of a stack overflow (a 40 KB string of '[' crashed the process through
// YamlDotNet's recursive node model), and an alias of a node that is still open is refused instead of building a cycle.
internal static partial class EncodingYaml
{
    /// <summary>How deeply sequences and mappings may nest; the same bound as JSON input (Value.Json's MaxDepth).</summary>
    public const int MaxDepth = 1024;

    public static Value Unmarshal(string text)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return NullValue.Instance;
            }

            parser.Consume<DocumentStart>();
            var value = ReadNode(parser);
            parser.Consume<DocumentEnd>();

            // go-yaml decodes the first document only; the rest of the stream must still be well formed.
            while (parser.MoveNext())
            {
            }

            return value;
        }
        catch (YamlException e)
        {
            throw new EncodingYamlException(GoMessage(e), e, e.Start.Line, e.Start.Column);
        }
        catch (ArgumentException e)
        {
            // YamlDotNet checks a tag's syntax when it builds the event ("Global tags must be valid URIs").
            throw new EncodingYamlException("yaml: " + e.Message.Split(" (Parameter")[0], e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's parser reports some malformed streams this way (an event where another was required).
            throw new EncodingYamlException($"yaml: {e.Message}", e);
        }
    }

    private static Value ReadNode(IParser parser)
    {
        var open = new Stack<Collection>();
        var anchors = new Dictionary<string, Value>(StringComparer.Ordinal);
        while (true)
        {
            Value? done = null;
            var evt = parser.Consume<ParsingEvent>();
            switch (evt)
            {
                case YamlDotNet.Core.Events.Scalar scalar:
                    done = Scalar(scalar);
                    Anchor(anchors, scalar.Anchor, done);
                    break;
                case SequenceStart start:
                    Open(open, new Collection(start.Anchor, start.Start, sequence: true));
                    break;
                case MappingStart start:
                    Open(open, new Collection(start.Anchor, start.Start, sequence: false));
                    break;
                case SequenceEnd or MappingEnd:
                    var closed = open.Pop();
                    done = closed.ToValue();
                    Anchor(anchors, closed.Anchor, done);
                    break;
                case AnchorAlias alias:
                    done = Alias(anchors, open, alias);
                    break;
                default:
                    throw new EncodingYamlException($"yaml: unexpected {evt.GetType().Name}", null, evt.Start.Line, evt.Start.Column);
            }

            if (done is null)
            {
                continue;
            }

            if (open.Count == 0)
            {
                return done;
            }

            open.Peek().Add(done, evt.Start);
        }
    }

    private static void Open(Stack<Collection> open, Collection collection)
    {
        if (open.Count >= MaxDepth)
        {
            throw new EncodingYamlException($"yaml: exceeded max depth of {MaxDepth}", null, collection.Start.Line, collection.Start.Column) { IsLimit = true };
        }

        open.Push(collection);
    }

    private static void Anchor(Dictionary<string, Value> anchors, AnchorName name, Value value)
    {
        if (!name.IsEmpty)
        {
            anchors[name.Value] = value;
        }
    }

    private static Value Alias(Dictionary<string, Value> anchors, Stack<Collection> open, AnchorAlias alias)
    {
        if (anchors.TryGetValue(alias.Value.Value, out var value))
        {
            return value;
        }

        // go-yaml's words for both: a node may not contain itself, and an alias needs an anchor before it.
        var message = open.Any(c => !c.Anchor.IsEmpty && c.Anchor.Value == alias.Value.Value)
            ? $"anchor '{alias.Value.Value}' value contains itself"
            : $"unknown anchor '{alias.Value.Value}' referenced";
        throw new EncodingYamlException($"yaml: line {alias.Start.Line}: {message}", null, alias.Start.Line, alias.Start.Column);
    }

    // go-yaml (a libyaml port) reports "yaml: line N: <problem>"; YamlDotNet words the same libyaml problems as
    // "While parsing a flow sequence, did not find expected ',' or ']'.".
    private static string GoMessage(YamlException e)
    {
        var message = e.Message.TrimEnd('.');
        if (message.StartsWith("While ", StringComparison.Ordinal))
        {
            var comma = message.IndexOf(", ", StringComparison.Ordinal);
            if (comma > 0)
            {
                message = message[(comma + 2)..];
            }
        }

        if (message.Length > 0)
        {
            message = char.ToLowerInvariant(message[0]) + message[1..];
        }

        // go-yaml counts lines from 1 for scanner errors but reports the 0-based line for parser errors, and omits
        // the line when it is 0.
        var line = e is SyntaxErrorException ? e.Start.Line : e.Start.Line - 1;
        return line > 0 ? $"yaml: line {line}: {message}" : $"yaml: {message}";
    }

    /// <summary>A sequence or mapping being read: its items, or its entries with the key waiting for its value.</summary>
    private sealed class Collection(AnchorName anchor, Mark start, bool sequence)
    {
        private readonly List<Value>? _items = sequence ? [] : null;
        private readonly ObjectValue.Builder? _entries = sequence ? null : new ObjectValue.Builder();
        private readonly HashSet<Value>? _keys = sequence ? null : [];
        private Value? _key;

        public AnchorName Anchor { get; } = anchor;

        public Mark Start { get; } = start;

        public void Add(Value value, Mark at)
        {
            if (_items is not null)
            {
                _items.Add(value);
                return;
            }

            if (_key is null)
            {
                // go-yaml v2 refuses a mapping or a sequence as a key ("invalid map key"): Go cannot hash one. It
                // also keeps a key's text from doubling with each level of nesting (? ? ? … grew 2^n).
                if (value is ObjectValue or ArrayValue)
                {
                    var type = value is ObjectValue ? "map[interface {}]interface {}" : "[]interface {}";
                    throw new EncodingYamlException($"yaml: invalid map key: {type}", null, at.Line, at.Column);
                }

                // A key that is not a string is keyed by its JSON text, as sigs.k8s.io/yaml converts it.
                _key = value is StringValue ? value : StringValue.Create(value is NullValue ? "null" : EncodingGoJson.Marshal(value));
                if (!_keys!.Add(_key))
                {
                    // As before this reader existed (YamlDotNet's "Duplicate key", worded by GoMessage).
                    var line = at.Line - 1;
                    var text = $"duplicate key {((StringValue)_key).Value}";
                    throw new EncodingYamlException(line > 0 ? $"yaml: line {line}: {text}" : $"yaml: {text}", null, at.Line, at.Column);
                }

                return;
            }

            _entries!.Set(_key, value);
            _key = null;
        }

        public Value ToValue() => _items is not null ? ArrayValue.CreateRange(_items) : _entries!.ToValue();
    }
}
