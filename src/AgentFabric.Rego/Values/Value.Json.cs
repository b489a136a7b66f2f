using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentFabric.Rego.Values;

public abstract partial class Value
{
    /// <summary>The deepest JSON document read (arrays and objects nested): deeper is
    /// <see cref="JsonDepthExceededException"/>. Go's encoding/json stops at 10,000 ("exceeded max depth"); values
    /// are walked recursively by the comparer, hasher and printer, so the engine stops at 1,024, as for YAML.</summary>
    public const int MaxReadDepth = 1024;

    // One level more than allowed, so the depth check below (with its own message) runs before the reader's.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxReadDepth + 1 };

    /// <summary>Converts a JSON element. Numbers keep full precision (big integers stay exact); a number out of the
    /// engine's range is <see cref="JsonNumberOutOfRangeException"/>.</summary>
    public static Value FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return NullValue.Instance;
            case JsonValueKind.True:
                return BooleanValue.True;
            case JsonValueKind.False:
                return BooleanValue.False;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var l))
                {
                    return NumberValue.Create(l);
                }

                return ReadNumber(element.GetRawText());
            case JsonValueKind.String:
                return StringValue.Create(element.GetString()!);
            case JsonValueKind.Array:
            {
                var items = new Value[element.GetArrayLength()];
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items[i++] = FromJson(item);
                }

                return ArrayValue.Wrap(items);
            }

            case JsonValueKind.Object:
            {
                var b = new ObjectValue.Builder();
                foreach (var p in element.EnumerateObject())
                {
                    b.Set(StringValue.Key(p.Name), FromJson(p.Value));
                }

                return b.ToValue();
            }

            default:
                throw new ArgumentException($"unsupported JSON value kind {element.ValueKind}", nameof(element));
        }
    }

    /// <summary>Parses JSON text; throws <see cref="JsonException"/> when it is not valid JSON, nests deeper than
    /// <see cref="MaxReadDepth"/> or holds a number out of the engine's range.</summary>
    public static Value ParseJson(string json) => ParseJson(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses UTF-8 JSON; throws <see cref="JsonException"/> when it is not valid JSON, nests deeper than
    /// <see cref="MaxReadDepth"/> or holds a number out of the engine's range.</summary>
    public static Value ParseJson(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        if (!reader.Read())
        {
            throw new JsonException("empty JSON document");
        }

        var value = ReadJson(ref reader);
        if (reader.Read())
        {
            throw new JsonException("unexpected data after the JSON value");
        }

        return value;
    }

    // The reader has checked the JSON number syntax, so a number that does not parse is out of range.
    private static NumberValue ReadNumber(string text) =>
        NumberValue.TryParseLiteral(text, out var n) ? n : throw new JsonNumberOutOfRangeException(text);

    /// <summary>Reads one JSON value starting at the reader's current token (which must have been read).</summary>
    public static Value ReadJson(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return NullValue.Instance;
            case JsonTokenType.True:
                return BooleanValue.True;
            case JsonTokenType.False:
                return BooleanValue.False;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var l))
                {
                    return NumberValue.Create(l);
                }

                var text = reader.HasValueSequence
                    ? Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence))
                    : Encoding.UTF8.GetString(reader.ValueSpan);
                return ReadNumber(text);
            case JsonTokenType.String:
                return StringValue.Create(JsonStrings.Read(ref reader));
            case JsonTokenType.StartArray or JsonTokenType.StartObject when reader.CurrentDepth >= MaxReadDepth:
                throw new JsonDepthExceededException(MaxReadDepth);
            case JsonTokenType.StartArray:
            {
                var items = new List<Value>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadJson(ref reader));
                }

                return ArrayValue.Wrap(items.ToArray());
            }

            case JsonTokenType.StartObject:
            {
                var b = new ObjectValue.Builder();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = StringValue.Key(JsonStrings.Read(ref reader));
                    reader.Read();
                    b.Set(key, ReadJson(ref reader));
                }

                return b.ToValue();
            }

            default:
                throw new JsonException($"unexpected JSON token {reader.TokenType}");
        }
    }

    /// <summary>The nesting a JSON writer of values should allow (<see cref="JsonWriterOptions.MaxDepth"/>): above the
    /// deepest document input can carry (1,024) with room for what rules build on it; the writer's default (1,000)
    /// made printing a legal result throw.</summary>
    public const int MaxWriteDepth = 8192;

    /// <summary>Writes the value as JSON. Sets become arrays in sorted order; objects are written in key order and a
    /// non-string key is written as its own compact JSON text (<c>{1: "a", {"b": 2}: 3}</c> becomes
    /// <c>{"1": "a", "{\"b\":2}": 3}</c>), as OPA does.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (this)
        {
            case NullValue:
                writer.WriteNullValue();
                break;
            case BooleanValue b:
                writer.WriteBooleanValue(b.Value);
                break;
            case NumberValue n:
                if (n.JsonLiteralText is { } literal)
                {
                    writer.WriteRawValue(literal, skipInputValidation: true);
                }
                else if (n.TryGetInt64(out var l))
                {
                    writer.WriteNumberValue(l);
                }
                else if (n.TryGetBigInteger(out var big))
                {
                    writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                }
                else
                {
                    writer.WriteNumberValue(n.ToDouble());
                }

                break;
            case StringValue s:
                writer.WriteStringValue(s.Value);
                break;
            case ArrayValue a:
                writer.WriteStartArray();
                foreach (var item in a)
                {
                    item.WriteJson(writer);
                }

                writer.WriteEndArray();
                break;
            case SetValue set:
                writer.WriteStartArray();
                foreach (var item in set)
                {
                    item.WriteJson(writer);
                }

                writer.WriteEndArray();
                break;
            case ObjectValue o:
                writer.WriteStartObject();
                foreach (var (k, v) in o)
                {
                    writer.WritePropertyName(k is StringValue ks ? ks.Value : k.ToJson());
                    v.WriteJson(writer);
                }

                writer.WriteEndObject();
                break;
        }
    }

    /// <summary>The value as compact JSON text.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            WriteJson(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
