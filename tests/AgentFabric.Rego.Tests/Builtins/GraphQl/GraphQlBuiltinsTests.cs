using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.GraphQl;

public class GraphQlBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private const string Schema = """
        type Query {
          hero(episode: Episode!): Character
          search(text: String, limit: Int = 10): [Character!]!
        }
        enum Episode { NEWHOPE EMPIRE JEDI }
        interface Character { id: ID! name: String }
        type Human implements Character { id: ID! name: String height: Float }
        type Droid implements Character { id: ID! name: String primaryFunction: String }
        """;

    private static Value Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args)!;

    private static RegoBuiltinException Fails(string name, params Value[] args) =>
        Assert.Throws<RegoBuiltinException>(() => Registry.Invoke(name, new BuiltinContext(), args));

    [Theory]
    [InlineData("{hero {name}}",
        """{"Operations":[{"Name":"","Operation":"query","SelectionSet":[{"Alias":"hero","Name":"hero","SelectionSet":[{"Alias":"name","Name":"name"}]}]}]}""")]
    [InlineData("query Q($e: Episode! = JEDI) { h: hero(episode: $e) @skip(if: false) { ... on Human { height } ...F } }",
        """{"Operations":[{"Name":"Q","Operation":"query","SelectionSet":[{"Alias":"h","Arguments":[{"Name":"episode","Value":{"ExpectedTypeHasDefault":false,"Kind":0,"Raw":"e"}}],"Directives":[{"Arguments":[{"Name":"if","Value":{"ExpectedTypeHasDefault":false,"Kind":5,"Raw":"false"}}],"Location":"","Name":"skip"}],"Name":"hero","SelectionSet":[{"SelectionSet":[{"Alias":"height","Name":"height"}],"TypeCondition":"Human"},{"Name":"F"}]}],"VariableDefinitions":[{"DefaultValue":{"ExpectedTypeHasDefault":false,"Kind":7,"Raw":"JEDI"},"Type":{"NamedType":"Episode","NonNull":true},"Used":false,"Variable":"e"}]}]}""")]
    [InlineData("{f(a: 1, b: 1.5, c: \"s\", d: \"\"\"\n    block\n      text\n  \"\"\", e: null, l: [1], o: {k: true})}",
        """{"Operations":[{"Name":"","Operation":"query","SelectionSet":[{"Alias":"f","Arguments":[{"Name":"a","Value":{"ExpectedTypeHasDefault":false,"Kind":1,"Raw":"1"}},{"Name":"b","Value":{"ExpectedTypeHasDefault":false,"Kind":2,"Raw":"1.5"}},{"Name":"c","Value":{"ExpectedTypeHasDefault":false,"Kind":3,"Raw":"s"}},{"Name":"d","Value":{"ExpectedTypeHasDefault":false,"Kind":4,"Raw":"block\n  text"}},{"Name":"e","Value":{"ExpectedTypeHasDefault":false,"Kind":6,"Raw":"null"}},{"Name":"l","Value":{"Children":[{"Name":"","Value":{"ExpectedTypeHasDefault":false,"Kind":1,"Raw":"1"}}],"ExpectedTypeHasDefault":false,"Kind":8,"Raw":""}},{"Name":"o","Value":{"Children":[{"Name":"k","Value":{"ExpectedTypeHasDefault":false,"Kind":5,"Raw":"true"}}],"ExpectedTypeHasDefault":false,"Kind":9,"Raw":""}}],"Name":"f"}]}]}""")]
    [InlineData("", "{}")]
    public void ParseQuery_ReturnsTheAstShape(string query, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call("graphql.parse_query", query));

    [Theory]
    [InlineData("{", "Expected Name, found <EOF> in GraphQL string at location 1:2")]
    [InlineData("{ field: {} }", "Expected Name, found { in GraphQL string at location 1:10")]
    [InlineData("notanoperation Foo { field }", "Unexpected Name \"notanoperation\" in GraphQL string at location 1:1")]
    [InlineData("...", "Unexpected ... in GraphQL string at location 1:1")]
    [InlineData("query Foo($x: Complex = { a: [ $var ] }) { field }", "Unexpected $ in GraphQL string at location 1:32")]
    [InlineData("fragment on on on { on }", "Unexpected Name \"on\" in GraphQL string at location 1:10")]
    [InlineData("{ ...MissingOn }\nfragment MissingOn Type", "Expected \"on\", found Name \"Type\" in GraphQL string at location 2:20")]
    [InlineData("{ a {} }", "expected at least one definition, found } in GraphQL string at location 1:6")]
    // A lexical error met while only looking ahead is reported as the unexpected invalid token, as OPA does.
    [InlineData("{ a(x: \"unterminated) }", "Unexpected <Invalid> in GraphQL string at location 1:24")]
    [InlineData("{ a(x: 01) }", "Unexpected <Invalid> in GraphQL string at location 1:9")]
    public void ParseQuery_SyntaxErrors(string query, string message)
    {
        var e = Fails("graphql.parse_query", query);
        Assert.Equal(RegoErrorCodes.BuiltinError, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("\"Doc\" type Hello implements & A & B @d { world(flag: Boolean = true): [String!] }",
        """{"Definitions":[{"BuiltIn":false,"Description":"Doc","Directives":[{"Location":"","Name":"d"}],"Fields":[{"Arguments":[{"DefaultValue":{"ExpectedTypeHasDefault":false,"Kind":5,"Raw":"true"},"Description":"","Name":"flag","Type":{"NamedType":"Boolean","NonNull":false}}],"Description":"","Name":"world","Type":{"Elem":{"NamedType":"String","NonNull":true},"NamedType":"","NonNull":false}}],"Interfaces":["A","B"],"Kind":"OBJECT","Name":"Hello"}]}""")]
    [InlineData("union U = | A | B enum E { X Y } scalar S input I { a: Int = 1 }",
        """{"Definitions":[{"BuiltIn":false,"Description":"","Kind":"UNION","Name":"U","Types":["A","B"]},{"BuiltIn":false,"Description":"","EnumValues":[{"Description":"","Name":"X"},{"Description":"","Name":"Y"}],"Kind":"ENUM","Name":"E"},{"BuiltIn":false,"Description":"","Kind":"SCALAR","Name":"S"},{"BuiltIn":false,"Description":"","Fields":[{"DefaultValue":{"ExpectedTypeHasDefault":false,"Kind":1,"Raw":"1"},"Description":"","Name":"a","Type":{"NamedType":"Int","NonNull":false}}],"Kind":"INPUT_OBJECT","Name":"I"}]}""")]
    [InlineData("schema { query: Q } extend schema @x directive @d repeatable on FIELD | QUERY extend type T { f: Int }",
        """{"Directives":[{"Description":"","IsRepeatable":true,"Locations":["FIELD","QUERY"],"Name":"d"}],"Extensions":[{"BuiltIn":false,"Description":"","Fields":[{"Description":"","Name":"f","Type":{"NamedType":"Int","NonNull":false}}],"Kind":"OBJECT","Name":"T"}],"Schema":[{"Description":"","OperationTypes":[{"Operation":"query","Type":"Q"}]}],"SchemaExtension":[{"Description":"","Directives":[{"Location":"","Name":"x"}]}]}""")]
    public void ParseSchema_ReturnsTheAstShape(string schema, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call("graphql.parse_schema", schema));

    [Theory]
    [InlineData("type Hello {}", "expected at least one definition, found } in GraphQL string at location 1:13")]
    [InlineData("extend type Hello", "Unexpected <EOF> in GraphQL string at location 1:18")]
    [InlineData("\"D\" extend type A { a: Int }", "Unexpected String \"D\" in GraphQL string at location 1:2")]
    [InlineData("union Hello = Wo || Rld", "Expected Name, found | in GraphQL string at location 1:19")]
    [InlineData("input Hello { world(foo: Int): String }", "Expected :, found ( in GraphQL string at location 1:20")]
    [InlineData("directive @foo on FIELD | NOWHERE", "Unexpected Name \"NOWHERE\" in GraphQL string at location 1:27")]
    [InlineData("\"\"\"\r", "Unexpected <Invalid> in GraphQL string at location 2:1")]
    public void ParseSchema_SyntaxErrors(string schema, string message) =>
        Assert.Equal(message, Fails("graphql.parse_schema", schema).Message);

    [Theory]
    [InlineData("type Query { a: Int }", true)]
    [InlineData("extend type User { id: ID! } union U = User type Query { u: U }", true)]
    [InlineData("type Hello implements World { field: String }", false)]
    [InlineData("interface IA { id: ID! } interface IIA implements IA { id: ID! } type A implements IIA { id: ID! }", false)]
    [InlineData("interface IA { id: ID! } interface IIA implements IA { id: ID! } type A implements IIA & IA { id: ID! }", true)]
    [InlineData("type A { f: Missing }", false)]
    [InlineData("type A { f: Int } type A { g: Int }", false)]
    [InlineData("input I { o: O } type O { a: Int }", false)]
    [InlineData("type O { a: I } input I { a: Int }", false)]
    [InlineData("union U = Int", false)]
    [InlineData("enum E { true }", false)]
    [InlineData("type A { f: Int @deprecated }", true)]
    [InlineData("scalar S @deprecated", false)]
    [InlineData("type A { f: Int @unknown }", false)]
    [InlineData("type __A { f: Int }", false)]
    [InlineData("schema { query: Missing }", false)]
    [InlineData("type Query { x: Int } directive @d on SCHEMA extend schema @d", true)]
    [InlineData("type Query { x: Int } extend schema @d", false)]
    [InlineData("type Query { x: Int } directive @d on FIELD extend schema @d", false)]
    public void SchemaIsValid_AppliesTypeSystemRules(string schema, bool valid) =>
        Assert.Equal(BooleanValue.Create(valid), Call("graphql.schema_is_valid", schema));

    [Theory]
    [InlineData("{ hero(episode: JEDI) { id name } }", null)]
    [InlineData("query ($e: Episode!) { hero(episode: $e) { ... on Droid { primaryFunction } __typename } }", null)]
    [InlineData("{ search { id } s: search(text: \"x\", limit: 2) { name } }", null)]
    [InlineData("{ hero(episode: JEDI) { nope } }", "Cannot query field \"nope\" on type \"Character\". Did you mean \"name\"? in GraphQL string at location 1:25")]
    [InlineData("{ hero { id } }", "Field \"hero\" argument \"episode\" of type \"Episode!\" is required, but it was not provided in GraphQL string at location 1:3")]
    [InlineData("{ hero(episode: JEDI, x: 1) { id } }", "Unknown argument \"x\" on field \"Query.hero\". in GraphQL string at location 1:3")]
    [InlineData("{ search(limt: 1) { id } }", "Unknown argument \"limt\" on field \"Query.search\". Did you mean \"limit\"? in GraphQL string at location 1:3")]
    [InlineData("{ search { nme } }", "Cannot query field \"nme\" on type \"Character\". Did you mean \"name\"? in GraphQL string at location 1:12")]
    [InlineData("{ search { height } }", "Cannot query field \"height\" on type \"Character\". Did you mean to use an inline fragment on \"Human\"? in GraphQL string at location 1:12")]
    [InlineData("{ hero(episode: JEDY) { id } }", "Value \"JEDY\" does not exist in \"Episode!\" enum. Did you mean the enum value \"JEDI\"? in GraphQL string at location 1:17")]
    [InlineData("{ hero(episode: \"JEDI\") { id } }", "Enum \"Episode!\" cannot represent non-enum value: \"JEDI\". Did you mean the enum value \"JEDI\"? in GraphQL string at location 1:18")]
    [InlineData("{ search(limit: 1.5) { id } }", "Expected value of type \"Int\", found 1.5. in GraphQL string at location 1:17")]
    [InlineData("{ search(limit: [1]) { id } }", "Expected value of type \"Int\", found [1]. in GraphQL string at location 1:17")]
    [InlineData("{ hero(episode: JEDI) }", "Field \"hero\" of type \"Character\" must have a selection of subfields. Did you mean \"hero { ... }\"? in GraphQL string at location 1:3")]
    [InlineData("{ hero(episode: JEDI) { id { x } } }", "Field \"id\" must not have a selection since type \"ID\" has no subfields. in GraphQL string at location 1:25")]
    [InlineData("{ hero(episode: SITH) { id } }", "Value \"SITH\" does not exist in \"Episode!\" enum. in GraphQL string at location 1:17")]
    [InlineData("{ search(limit: \"ten\") { id } }", "Expected value of type \"Int\", found \"ten\". in GraphQL string at location 1:18")]
    [InlineData("query ($e: Episode!) { search { id } }", "Variable \"$e\" is never used. in GraphQL string at location 1:8")]
    [InlineData("{ hero(episode: $e) { id } }", "Variable \"$e\" is not defined. in GraphQL string at location 1:17")]
    [InlineData("{ search { ...F } }", "Unknown fragment \"F\". in GraphQL string at location 1:15")]
    [InlineData("{ search { id } } fragment F on Human { id }", "Fragment \"F\" is never used. in GraphQL string at location 1:19")]
    [InlineData("{ search { ... on Query { __typename } } }", "Fragment cannot be spread here as objects of type \"Character\" can never be of type \"Query\". in GraphQL string at location 1:16")]
    [InlineData("{ search { id @nope } }", "Unknown directive \"@nope\". in GraphQL string at location 1:16")]
    [InlineData("query ($t: Int) { search(text: $t) { id } }", "Variable \"$t\" of type \"Int\" used in position expecting type \"String\". in GraphQL string at location 1:32")]
    [InlineData("query ($e: Episode) { hero(episode: $e) { id } }", "Variable \"$e\" of type \"Episode\" used in position expecting type \"Episode!\". in GraphQL string at location 1:37")]
    [InlineData("query ($e: Episode = JEDI) { hero(episode: $e) { id } }", null)]
    [InlineData("query Q { search { ...F } } fragment F on Character { ... on Human { id } x: id @include(if: $on) }", "Variable \"$on\" is not defined by operation \"Q\". in GraphQL string at location 1:94")]
    [InlineData("{ search { a: id a: name } }", "Fields \"a\" conflict because id and name are different fields. Use different aliases on the fields to fetch both if this was intentional. in GraphQL string at location 1:18")]
    [InlineData("{ search { id id } }", null)]
    [InlineData("{ s: search(limit: 1) { id } s: search(limit: 2) { id } }", "Fields \"s\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. in GraphQL string at location 1:30")]
    [InlineData("{ search { ... on Human { v: height } ... on Droid { v: primaryFunction } } }", "Fields \"v\" conflict because they return conflicting types \"Float\" and \"String\". Use different aliases on the fields to fetch both if this was intentional. in GraphQL string at location 1:54")]
    [InlineData("{ search { ... on Human { v: height } ... on Droid { v: id } } }", "Fields \"v\" conflict because they return conflicting types \"Float\" and \"ID!\". Use different aliases on the fields to fetch both if this was intentional. in GraphQL string at location 1:54")]
    [InlineData("{ search { ... on Human { v: name } ... on Droid { v: name } } }", null)]
    [InlineData("mutation { x }", "Schema does not support operation type \"mutation\" in GraphQL string at location 1:1")]
    [InlineData("{ search { id } } { search { id } }", "This anonymous operation must be the only defined operation. in GraphQL string at location 1:1")]
    public void Parse_ValidatesTheQueryAgainstTheSchema(string query, string? error)
    {
        if (error is null)
        {
            var result = Assert.IsType<ArrayValue>(Call("graphql.parse", query, Schema));
            Assert.Equal(Call("graphql.parse_query", query), result[0]);
            Assert.Equal(Call("graphql.parse_schema", Schema), result[1]);
            Assert.Equal(BooleanValue.True, Call("graphql.is_valid", query, Schema));
        }
        else
        {
            Assert.Equal(error, Fails("graphql.parse", query, Schema).Message);
            Assert.Equal(BooleanValue.False, Call("graphql.is_valid", query, Schema));
            Assert.Equal(ArrayValue.Create(BooleanValue.False, ObjectValue.Empty, ObjectValue.Empty), Call("graphql.parse_and_verify", query, Schema));
        }
    }

    [Fact]
    public void ParseAndVerify_AcceptsAstObjects()
    {
        var query = Call("graphql.parse_query", "{ hero(episode: EMPIRE) { name ... on Human { height } } }");
        var schema = Call("graphql.parse_schema", Schema);
        Assert.Equal(ArrayValue.Create(BooleanValue.True, query, schema), Call("graphql.parse_and_verify", query, schema));
        Assert.Equal(BooleanValue.True, Call("graphql.schema_is_valid", schema));
    }

    [Theory]
    [InlineData("{\"Operations\":1}", "cannot unmarshal number into AST field Operations of type array")]
    [InlineData("{\"Operations\":[{\"Name\":5}]}", "cannot unmarshal number into AST field Name of type string")]
    [InlineData("{\"Operations\":[\"x\"]}", "cannot unmarshal string into an element of AST field Operations")]
    public void AstObjects_OfTheWrongShapeAreRejected(string ast, string message)
    {
        Assert.Equal(message, Fails("graphql.parse", Value.ParseJson(ast), Schema).Message);
        Assert.Equal(BooleanValue.False, Call("graphql.is_valid", Value.ParseJson(ast), Schema));
    }

    [Fact]
    public void LoadedSchemas_AreReusedWithinAnEvaluation()
    {
        var ctx = new BuiltinContext();
        Assert.Equal(BooleanValue.True, Registry.Invoke("graphql.is_valid", ctx, "{ search { id } }", Schema));
        Assert.Single(ctx.Cache);
        Assert.Equal(BooleanValue.False, Registry.Invoke("graphql.is_valid", ctx, "{ search { nope } }", Schema));
        Assert.Single(ctx.Cache);
    }

    [Fact]
    public void Parse_ReportsAnInvalidSchemaFirst() =>
        Assert.Equal("Undefined type Missing. in GraphQL string at location 1:14", Fails("graphql.parse", "{", "type Query { a: Missing }").Message);

    [Theory]
    [InlineData("graphql.is_valid", 1, "operand 1 must be one of {object, string} but got number")]
    [InlineData("graphql.schema_is_valid", 1, "operand 1 must be one of {object, string} but got number")]
    public void Operands_MustBeStringsOrObjects(string name, long arg, string message)
    {
        var args = name == "graphql.is_valid" ? new Value[] { arg, Schema } : [arg];
        var e = Fails(name, args);
        Assert.Equal(RegoErrorCodes.EvalTypeError, e.Code);
        Assert.Equal(message, e.Message);
    }
}
