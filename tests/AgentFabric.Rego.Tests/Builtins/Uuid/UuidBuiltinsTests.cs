using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Uuid;

public class UuidBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    [Fact]
    public void Rfc4122_IsVersion4_AndStablePerEvaluation()
    {
        var ctx = new BuiltinContext(random: new Random(1));
        var a = (StringValue)Registry.Invoke("uuid.rfc4122", ctx, "k")!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", a.Value);
        Assert.Equal(a, Registry.Invoke("uuid.rfc4122", ctx, "k"));
        Assert.NotEqual(a, Registry.Invoke("uuid.rfc4122", ctx, "other"));
        Assert.NotEqual(a, Registry.Invoke("uuid.rfc4122", new BuiltinContext(random: new Random(2)), "k"));
        Assert.True(Registry["uuid.rfc4122"].Flags.HasFlag(BuiltinFlags.Nondeterministic));
    }

    [Theory]
    [InlineData("00000000-0000-4000-8000-000000000000", "{\"variant\":\"RFC4122\",\"version\":4}")]
    [InlineData("{00000000-0000-4000-8000-000000000000}", "{\"variant\":\"RFC4122\",\"version\":4}")]
    [InlineData("6bea8ef2d3d33cd184e09bab06a52ece", "{\"variant\":\"RFC4122\",\"version\":3}")]
    [InlineData("00000000-0000-4000-c000-000000000000", "{\"variant\":\"Microsoft\",\"version\":4}")]
    [InlineData(
        "URN:UUID:000003e8-48b9-21ee-b200-325096b39f47",
        "{\"clocksequence\":12800,\"domain\":\"Person\",\"id\":1000,\"macvariables\":\"local:unicast\",\"nodeid\":\"32-50-96-b3-9f-47\",\"time\":1693566990121469600,\"variant\":\"RFC4122\",\"version\":2}")]
    public void Parse(string text, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Registry.Invoke("uuid.parse", new BuiltinContext(), text));

    [Theory]
    [InlineData("123")]
    [InlineData("00000000x0000-4000-8000-000000000000")]
    [InlineData("0000000g-0000-4000-8000-000000000000")]
    [InlineData("urx:uuid:000003e8-48b9-21ee-b200-325096b39f47")]
    public void Parse_Invalid_IsUndefined(string text) =>
        Assert.Null(Registry.Invoke("uuid.parse", new BuiltinContext(), text));
}
