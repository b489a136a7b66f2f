namespace AgentFabric.Rego.Builtins.GraphQl;

// GraphQL spec §2: executable documents (operations and fragments).
internal sealed partial class GqlParser
{
    private GqlQueryDocument QueryDocument()
    {
        var doc = new GqlQueryDocument();
        while (Peek().Kind != GqlTokenKind.Eof)
        {
            if (_err is not null)
            {
                return doc;
            }

            var t = Peek();
            if (t.Kind == GqlTokenKind.Name && t.Value is "query" or "mutation" or "subscription")
            {
                doc.Operations.Add(OperationDefinition());
            }
            else if (t.Kind == GqlTokenKind.Name && t.Value == "fragment")
            {
                doc.Fragments.Add(FragmentDefinition());
            }
            else if (t.Kind == GqlTokenKind.BraceL)
            {
                doc.Operations.Add(OperationDefinition());
            }
            else
            {
                Unexpected();
            }
        }

        return doc;
    }

    private GqlOperation OperationDefinition()
    {
        var op = new GqlOperation { Position = PeekPos() };
        if (Peek().Kind == GqlTokenKind.BraceL)
        {
            // §2.3 query shorthand.
            op.Operation = "query";
            op.SelectionSet = RequiredSelectionSet();
            return op;
        }

        op.Operation = OperationType();
        if (Peek().Kind == GqlTokenKind.Name)
        {
            op.Name = Next().Value;
        }

        op.VariableDefinitions = VariableDefinitions();
        op.Directives = Directives(false);
        op.SelectionSet = RequiredSelectionSet();
        return op;
    }

    private string OperationType()
    {
        var t = Next();
        if (t.Value is "query" or "mutation" or "subscription")
        {
            return t.Value;
        }

        Unexpected(t);
        return "";
    }

    private List<GqlVariableDefinition> VariableDefinitions()
    {
        var defs = new List<GqlVariableDefinition>();
        Many(GqlTokenKind.ParenL, GqlTokenKind.ParenR, () =>
        {
            var def = new GqlVariableDefinition { Position = PeekPos() };
            def.Variable = Variable();
            Expect(GqlTokenKind.Colon);
            def.Type = TypeReference();
            if (Skip(GqlTokenKind.Equals))
            {
                def.DefaultValue = ValueLiteral(true);
            }

            def.Directives = Directives(false);
            defs.Add(def);
        });
        return defs;
    }

    private List<GqlSelection> RequiredSelectionSet()
    {
        if (Peek().Kind != GqlTokenKind.BraceL)
        {
            Error(Peek(), $"Expected {{, found {GqlToken.KindName(Peek().Kind)}");
            return [];
        }

        return SelectionSet();
    }

    private List<GqlSelection> SelectionSet()
    {
        var selections = new List<GqlSelection>();
        Some(GqlTokenKind.BraceL, GqlTokenKind.BraceR, () => selections.Add(Selection()));
        return selections;
    }

    private GqlSelection Selection() => Peek().Kind == GqlTokenKind.Spread ? Fragment() : Field();

    private GqlField Field()
    {
        var field = new GqlField { Position = PeekPos() };
        field.Alias = Name();
        field.Name = Skip(GqlTokenKind.Colon) ? Name() : field.Alias;
        field.Arguments = Arguments(false);
        field.Directives = Directives(false);
        if (Peek().Kind == GqlTokenKind.BraceL)
        {
            field.SelectionSet = SelectionSet();
        }

        return field;
    }

    private GqlSelection Fragment()
    {
        Expect(GqlTokenKind.Spread);
        var t = Peek();
        if (t.Kind == GqlTokenKind.Name && t.Value != "on")
        {
            var spread = new GqlFragmentSpread { Position = PeekPos() };
            spread.Name = FragmentName();
            spread.Directives = Directives(false);
            return spread;
        }

        var inline = new GqlInlineFragment { Position = PeekPos() };
        if (Peek().Value == "on")
        {
            Next();
            inline.TypeCondition = Name();
        }

        inline.Directives = Directives(false);
        inline.SelectionSet = RequiredSelectionSet();
        return inline;
    }

    private GqlFragmentDefinition FragmentDefinition()
    {
        var def = new GqlFragmentDefinition { Position = PeekPos() };
        ExpectKeyword("fragment");
        def.Name = FragmentName();
        def.VariableDefinition = VariableDefinitions();
        ExpectKeyword("on");
        def.TypeCondition = Name();
        def.Directives = Directives(false);
        def.SelectionSet = RequiredSelectionSet();
        return def;
    }

    // §2.8: a fragment name is any name but "on".
    private string FragmentName()
    {
        if (Peek().Value == "on")
        {
            Unexpected();
            return "";
        }

        return Name();
    }
}
