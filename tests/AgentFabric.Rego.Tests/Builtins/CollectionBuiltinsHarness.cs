using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins;

/// <summary>Calls builtins with operands written as Rego terms, so vectors read like policy text.</summary>
internal static class CollectionBuiltinsHarness
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    public static Value? Call(string name, params string[] operands) => CallWith(new BuiltinContext(), name, operands);

    public static Value? CallWith(BuiltinContext context, string name, params string[] operands)
    {
        var args = operands.Select(RegoEngine.ParseTerm).ToArray();
        return Registry.Invoke(name, context, args);
    }

    /// <summary>Asserts the result equals the expected term (null for undefined).</summary>
    public static void AssertResult(string? expected, string name, params string[] operands)
    {
        var actual = Call(name, operands);
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(RegoEngine.ParseTerm(expected).ToString(), actual.ToString());
    }

    /// <summary>Asserts the call fails with exactly this code and message.</summary>
    public static void AssertError(string code, string message, string name, params string[] operands)
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call(name, operands));
        Assert.Equal(message, e.Message);
        Assert.Equal(code, e.Code);
    }
}
