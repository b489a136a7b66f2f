using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.GraphQl;

/// <summary>Converts GraphQL ASTs to Rego objects and back. Output follows OPA: null members and empty lists are
/// left out (empty strings and false are kept), positions are never exposed.</summary>
internal static class GqlAstValue
{
    private sealed class Writer
    {
        private readonly ObjectValue.Builder _b = new();

        public Writer Str(string key, string value)
        {
            _b.Set(key, StringValue.Create(value));
            return this;
        }

        public Writer Bool(string key, bool value)
        {
            _b.Set(key, BooleanValue.Create(value));
            return this;
        }

        public Writer Num(string key, long value)
        {
            _b.Set(key, NumberValue.Create(value));
            return this;
        }

        public Writer Obj(string key, Value? value)
        {
            if (value is not null)
            {
                _b.Set(key, value);
            }

            return this;
        }

        public Writer List<T>(string key, List<T> items, Func<T, Value> convert)
        {
            if (items.Count > 0)
            {
                _b.Set(key, ArrayValue.CreateRange(items.Select(convert)));
            }

            return this;
        }

        public ObjectValue Done() => _b.ToValue();
    }

    public static ObjectValue ToValue(GqlQueryDocument doc) => new Writer()
        .List("Operations", doc.Operations, Operation)
        .List("Fragments", doc.Fragments, Fragment)
        .Done();

    public static ObjectValue ToValue(GqlSchemaDocument doc) => new Writer()
        .List("Schema", doc.Schema, SchemaDefinition)
        .List("SchemaExtension", doc.SchemaExtension, SchemaDefinition)
        .List("Directives", doc.Directives, DirectiveDefinition)
        .List("Definitions", doc.Definitions, Definition)
        .List("Extensions", doc.Extensions, Definition)
        .Done();

    private static Value Operation(GqlOperation o) => new Writer()
        .Str("Operation", o.Operation).Str("Name", o.Name)
        .List("VariableDefinitions", o.VariableDefinitions, VariableDefinition)
        .List("Directives", o.Directives, Directive)
        .List("SelectionSet", o.SelectionSet, Selection)
        .Done();

    private static Value VariableDefinition(GqlVariableDefinition v) => new Writer()
        .Str("Variable", v.Variable).Obj("Type", Type(v.Type)).Obj("DefaultValue", ValueNode(v.DefaultValue))
        .List("Directives", v.Directives, Directive).Bool("Used", false)
        .Done();

    private static Value Fragment(GqlFragmentDefinition f) => new Writer()
        .Str("Name", f.Name).List("VariableDefinition", f.VariableDefinition, VariableDefinition)
        .Str("TypeCondition", f.TypeCondition).List("Directives", f.Directives, Directive)
        .List("SelectionSet", f.SelectionSet, Selection)
        .Done();

    private static Value Selection(GqlSelection s) => s switch
    {
        GqlField f => new Writer().Str("Alias", f.Alias).Str("Name", f.Name).List("Arguments", f.Arguments, Argument)
            .List("Directives", f.Directives, Directive).List("SelectionSet", f.SelectionSet, Selection).Done(),
        GqlFragmentSpread fs => new Writer().Str("Name", fs.Name).List("Directives", fs.Directives, Directive).Done(),
        GqlInlineFragment i => new Writer().Str("TypeCondition", i.TypeCondition).List("Directives", i.Directives, Directive)
            .List("SelectionSet", i.SelectionSet, Selection).Done(),
        _ => ObjectValue.Empty,
    };

    private static Value Argument(GqlArgument a) => new Writer().Str("Name", a.Name).Obj("Value", ValueNode(a.Value)).Done();

    private static Value Directive(GqlDirective d) => new Writer()
        .Str("Name", d.Name).List("Arguments", d.Arguments, Argument).Str("Location", d.Location).Done();

    private static ObjectValue? ValueNode(GqlValue? v) => v is null ? null : new Writer()
        .Str("Raw", v.Raw)
        .List("Children", v.Children, c => new Writer().Str("Name", c.Name).Obj("Value", ValueNode(c.Value)).Done())
        .Num("Kind", (long)v.Kind).Bool("ExpectedTypeHasDefault", false)
        .Done();

    private static ObjectValue? Type(GqlType? t) => t is null ? null : new Writer()
        .Str("NamedType", t.NamedType).Obj("Elem", Type(t.Elem)).Bool("NonNull", t.NonNull).Done();

    private static Value SchemaDefinition(GqlSchemaDefinition s) => new Writer()
        .Str("Description", s.Description).List("Directives", s.Directives, Directive)
        .List("OperationTypes", s.OperationTypes, o => new Writer().Str("Operation", o.Operation).Str("Type", o.Type).Done())
        .Done();

    private static Value DirectiveDefinition(GqlDirectiveDefinition d) => new Writer()
        .Str("Description", d.Description).Str("Name", d.Name).List("Arguments", d.Arguments, FieldDefinition)
        .List("Locations", d.Locations, l => StringValue.Create(l)).Bool("IsRepeatable", d.IsRepeatable)
        .Done();

    private static Value Definition(GqlDefinition d) => new Writer()
        .Str("Kind", d.Kind).Str("Description", d.Description).Str("Name", d.Name)
        .List("Directives", d.Directives, Directive).List("Interfaces", d.Interfaces, s => StringValue.Create(s))
        .List("Fields", d.Fields, FieldDefinition).List("Types", d.Types, s => StringValue.Create(s))
        .List("EnumValues", d.EnumValues, e => new Writer().Str("Description", e.Description).Str("Name", e.Name)
            .List("Directives", e.Directives, Directive).Done())
        .Bool("BuiltIn", d.BuiltIn)
        .Done();

    private static Value FieldDefinition(GqlFieldDefinition f) => new Writer()
        .Str("Description", f.Description).Str("Name", f.Name).List("Arguments", f.Arguments, FieldDefinition)
        .Obj("DefaultValue", ValueNode(f.DefaultValue)).Obj("Type", Type(f.Type)).List("Directives", f.Directives, Directive)
        .Done();
}
