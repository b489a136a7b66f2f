using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins;

/// <summary>The text parsers behind the time, net, uri and template builtins must answer every input with a value
/// or a <see cref="RegoBuiltinException"/>, never another exception (which would abort the evaluation as a bug).</summary>
public class ParserRobustnessTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    [Theory]
    [InlineData("time.parse_ns", "2006-01-02T15:04:05.999999999Z07:00 Mon Jan _2 __2 002 PM pm MST -07:00:00 ,000 0123456789+-:. ")]
    [InlineData("time.parse_duration_ns", "0123456789.+-nsuµmhdwy ")]
    [InlineData("net.cidr_is_valid", "0123456789abcdef:./%[] ")]
    [InlineData("net.cidr_merge", "0123456789abcdef:./ ")]
    [InlineData("uri.parse", "ab:/?#[]@!$&'()*+,;=%2F%zz09 .\u00e9")]
    [InlineData("strings.render_template", "{{}}.$|()\"`'-/*x ifelserangeendwithlenindex :=,0129")]
    public void RandomInput_GivesValueOrBuiltinError(string name, string alphabet)
    {
        var random = new Random(20260101);
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var text = StringValue.Create(new string(chars));
            Value[] args = name switch
            {
                "time.parse_ns" => [StringValue.Create(new string(chars, 0, chars.Length / 2)), StringValue.Create(new string(chars, chars.Length / 2, chars.Length - (chars.Length / 2)))],
                "net.cidr_merge" => [ArrayValue.Create(text)],
                "strings.render_template" => [text, ObjectValue.Create(("a", ArrayValue.Create(1, "x")), ("b", NullValue.Instance))],
                _ => [text],
            };

            try
            {
                Registry.Invoke(name, new BuiltinContext(), args);
            }
            catch (RegoBuiltinException)
            {
                // An answer: a clear error for bad input.
            }
        }
    }
}
