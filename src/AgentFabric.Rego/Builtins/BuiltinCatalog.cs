namespace AgentFabric.Rego;

/// <summary>The default set of builtins, assembled from one file per family.</summary>
/// <remarks>
/// <para><b>Adding a family</b> (e.g. strings):</para>
/// <list type="number">
/// <item>Create <c>src/AgentFabric.Rego/Builtins/StringsBuiltins.cs</c> containing
/// <c>public static partial class BuiltinCatalog { static partial void RegisterStrings(BuiltinRegistry r) { ... } }</c>
/// in namespace <c>AgentFabric.Rego</c>. The hook is already declared below and called by <see cref="CreateDefault"/>;
/// an unimplemented hook compiles to nothing, so families never touch this file. Put helpers in the same file as
/// private static methods, or in a file of their own named after what they are (no "Helper"/"Util").</item>
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
/// <item>Return a <see cref="Value"/>, or null for undefined. Build results with <c>StringValue.Create</c>,
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

        // Language core and runtime (rego-core).
        RegisterOperators(r);
        RegisterRuntime(r);

        // Engineer B.
        RegisterNumbers(r);
        RegisterAggregates(r);
        RegisterArrays(r);
        RegisterSets(r);
        RegisterObjects(r);
        RegisterStrings(r);
        RegisterSprintf(r);
        RegisterRegex(r);
        RegisterGlob(r);
        RegisterConversions(r);
        RegisterTypes(r);
        RegisterEncoding(r);
        RegisterBits(r);
        RegisterUnits(r);
        RegisterSemver(r);
        RegisterUuid(r);
        RegisterJsonPatch(r);

        // Engineer C.
        RegisterTime(r);
        RegisterCrypto(r);
        RegisterTokens(r);
        RegisterNet(r);
        RegisterGraph(r);
        RegisterGraphQl(r);
        RegisterUri(r);
        RegisterJsonSchema(r);
        RegisterAws(r);
        RegisterTemplates(r);
        return r;
    }

    static partial void RegisterOperators(BuiltinRegistry r);

    static partial void RegisterRuntime(BuiltinRegistry r);

    static partial void RegisterNumbers(BuiltinRegistry r);

    static partial void RegisterAggregates(BuiltinRegistry r);

    static partial void RegisterArrays(BuiltinRegistry r);

    static partial void RegisterSets(BuiltinRegistry r);

    static partial void RegisterObjects(BuiltinRegistry r);

    static partial void RegisterStrings(BuiltinRegistry r);

    static partial void RegisterSprintf(BuiltinRegistry r);

    static partial void RegisterRegex(BuiltinRegistry r);

    static partial void RegisterGlob(BuiltinRegistry r);

    static partial void RegisterConversions(BuiltinRegistry r);

    static partial void RegisterTypes(BuiltinRegistry r);

    static partial void RegisterEncoding(BuiltinRegistry r);

    static partial void RegisterBits(BuiltinRegistry r);

    static partial void RegisterUnits(BuiltinRegistry r);

    static partial void RegisterSemver(BuiltinRegistry r);

    static partial void RegisterUuid(BuiltinRegistry r);

    static partial void RegisterJsonPatch(BuiltinRegistry r);

    static partial void RegisterTime(BuiltinRegistry r);

    static partial void RegisterCrypto(BuiltinRegistry r);

    static partial void RegisterTokens(BuiltinRegistry r);

    static partial void RegisterNet(BuiltinRegistry r);

    static partial void RegisterGraph(BuiltinRegistry r);

    static partial void RegisterGraphQl(BuiltinRegistry r);

    static partial void RegisterUri(BuiltinRegistry r);

    static partial void RegisterJsonSchema(BuiltinRegistry r);

    static partial void RegisterAws(BuiltinRegistry r);

    static partial void RegisterTemplates(BuiltinRegistry r);
}
