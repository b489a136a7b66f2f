using AgentFabric.Rego.Builtins.Aws;
using AgentFabric.Rego.Builtins.Collections;
using AgentFabric.Rego.Builtins.Crypto;
using AgentFabric.Rego.Builtins.Encodings;
using AgentFabric.Rego.Builtins.GraphQl;
using AgentFabric.Rego.Builtins.JsonSchemas;
using AgentFabric.Rego.Builtins.Net;
using AgentFabric.Rego.Builtins.Numbers;
using AgentFabric.Rego.Builtins.Patterns;
using AgentFabric.Rego.Builtins.Runtime;
using AgentFabric.Rego.Builtins.Semver;
using AgentFabric.Rego.Builtins.Strings;
using AgentFabric.Rego.Builtins.Time;
using AgentFabric.Rego.Builtins.Tokens;
using AgentFabric.Rego.Builtins.Types;
using AgentFabric.Rego.Builtins.Uuid;

namespace AgentFabric.Rego.Builtins;

/// <summary>The default set of builtins: the language's operators (<c>BuiltinCatalog.Operators.cs</c>) and one
/// <c>*Builtins</c> class per family, in a folder per family or family group.</summary>
/// <remarks>
/// <para><b>Adding a family</b> (e.g. strings):</para>
/// <list type="number">
/// <item>Create <c>src/AgentFabric.Rego/Builtins/Strings/StringsBuiltins.cs</c> (one folder per family or family
/// group; the namespace follows the folder: <c>AgentFabric.Rego.Builtins.Strings</c>) containing
/// <c>internal static class StringsBuiltins { internal static void Register(BuiltinRegistry r) { ... } }</c>, and add
/// one <c>StringsBuiltins.Register(r);</c> line to <see cref="CreateDefault"/>. Put helpers in the same class as
/// private static methods, or in a file of their own in the family's folder named after what they are (no
/// "Helper"/"Util"). Code that reproduces Go's runtime semantics goes in <c>GoCompat/</c>.</item>
/// <item>Register each builtin with its name and the <c>decl</c> of <c>reference/opa/capabilities.json</c> expressed
/// as <see cref="RegoType"/>s:
/// <c>r.Register("trim_space", [RegoType.String], RegoType.String, TrimSpace);</c> where
/// <c>static Value? TrimSpace(BuiltinContext ctx, ReadOnlySpan&lt;Value&gt; a)</c>. Nondeterministic builtins pass
/// <see cref="BuiltinFlags.Nondeterministic"/>, deprecated ones <see cref="BuiltinFlags.Deprecated"/>.</item>
/// <item>Read operands with <see cref="BuiltinArgs"/> (<c>BuiltinArgs.String(a, 0)</c>, <c>Number</c>, <c>Integer</c>,
/// <c>Int32</c>, <c>Array</c>, <c>Set</c>, <c>Object</c>, <c>OneOf</c>): they throw OPA's exact
/// <c>eval_type_error</c> text (<c>operand 1 must be string but got number</c>). For other operand problems throw
/// <c>BuiltinArgs.OperandError(index, "must be ...")</c>; for any other failure throw
/// <c>new RegoBuiltinException("reason")</c> (an <c>eval_builtin_error</c>). Never include the builtin's name: the
/// evaluator prefixes it and the location, giving <c>test-0.rego:4: eval_builtin_error: name: reason</c>.</item>
/// <item>Return a <see cref="Values.Value"/>, or null for undefined. Build results with <c>StringValue.Create</c>,
/// <c>NumberValue.Create</c>, <c>BooleanValue.Create</c>, <c>ArrayValue.Create</c>, <c>SetValue.Builder</c>,
/// <c>ObjectValue.Builder</c>. Values are immutable; objects and sets iterate in sorted order.</item>
/// <item>Use <see cref="BuiltinContext"/> for the evaluation's fixed clock (<c>NowNanoseconds</c>), random source,
/// per-evaluation <c>Cache</c>, cancellation and strict-errors flag; never read the clock or global state.</item>
/// <item>Test directly: <c>var r = BuiltinCatalog.CreateDefault(); var v = r.Invoke("trim_space", new BuiltinContext(), "  a ");
/// Assert.Equal(StringValue.Create("a"), v);</c> and with <c>Assert.Throws&lt;RegoBuiltinException&gt;</c> for errors,
/// checking <c>Code</c> and <c>Message</c>. Then run the conformance runner with <c>--filter</c> on the family's folders.</item>
/// </list>
/// </remarks>
public static partial class BuiltinCatalog
{
    private static readonly Lazy<BuiltinRegistry> StandardRegistry = new(() => CreateDefault().Freeze());

    /// <summary>The catalog as it is, for telling its builtins from ones an application registered.</summary>
    internal static BuiltinRegistry Standard => StandardRegistry.Value;

    /// <summary>A new registry with every builtin of every family; add custom builtins before compiling.</summary>
    public static BuiltinRegistry CreateDefault()
    {
        var r = new BuiltinRegistry();
        RegisterOperators(r);
        RuntimeBuiltins.Register(r);
        NumbersBuiltins.Register(r);
        AggregatesBuiltins.Register(r);
        ArraysBuiltins.Register(r);
        SetsBuiltins.Register(r);
        ObjectsBuiltins.Register(r);
        StringsBuiltins.Register(r);
        SprintfBuiltins.Register(r);
        RegexBuiltins.Register(r);
        GlobBuiltins.Register(r);
        ConversionsBuiltins.Register(r);
        TypesBuiltins.Register(r);
        EncodingBuiltins.Register(r);
        BitsBuiltins.Register(r);
        UnitsBuiltins.Register(r);
        SemverBuiltins.Register(r);
        UuidBuiltins.Register(r);
        JsonPatchBuiltins.Register(r);
        TimeBuiltins.Register(r);
        CryptoBuiltins.Register(r);
        TokensBuiltins.Register(r);
        NetBuiltins.Register(r);
        GraphBuiltins.Register(r);
        GraphQlBuiltins.Register(r);
        UriBuiltins.Register(r);
        JsonSchemaBuiltins.Register(r);
        AwsBuiltins.Register(r);
        TemplatesBuiltins.Register(r);
        return r;
    }
}
