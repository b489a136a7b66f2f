using System.Globalization;
using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.GoCompat;

internal sealed partial class GoTemplate
{
    // Values seen by the template are Rego values as Go sees them after JSON decoding: objects are maps, arrays and
    // sets slices, numbers json.Number (text), null nil. A missing map key is null here and prints "<undefined>".
    private const string UndefinedText = "<undefined>";

    // Go allows 100000 nested {{template}} calls; each costs stack here, so recursion stops far earlier.
    private const int MaxTemplateDepth = 1000;

    // Builtins run outside the evaluator's step and time accounting: bound the work and the output of one render.
    private const int MaxSteps = 1_000_000;
    private const int MaxOutputLength = 16 * 1024 * 1024;

    /// <summary>Runs the template with data as dot and $.</summary>
    public string Execute(Value data, CancellationToken cancellationToken)
    {
        var run = new Run(this, data, cancellationToken);
        run.List(_root, data);
        return run.Output.ToString();
    }

    private sealed class Run(GoTemplate template, Value root, CancellationToken cancellationToken)
    {
        private readonly List<(string Name, Value? Value)> _variables = [("$", root)];
        private int _depth;
        private int _steps;

        public StringBuilder Output { get; } = new();

        // Runs nodes; stops early with the loop signal of a {{break}} or {{continue}}.
        public Signal List(List<Node> nodes, Value? dot)
        {
            foreach (var node in nodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Step(node.Line);

                var signal = Walk(node, dot);
                if (signal != Signal.None)
                {
                    return signal;
                }
            }

            return Signal.None;
        }

        private Signal Walk(Node node, Value? dot)
        {
            switch (node)
            {
                case TextNode t:
                    Output.Append(t.Text);
                    return Signal.None;
                case ActionNode a:
                {
                    var value = Pipeline(a.Pipe, dot);
                    if (a.Pipe.Variables.Count == 0)
                    {
                        Print(Output, value);
                    }

                    return Signal.None;
                }

                case IfNode i:
                    return Scoped(() => List(IsTrue(Pipeline(i.Pipe, dot)) ? i.Then : i.Else ?? [], dot));
                case WithNode w:
                    return Scoped(() =>
                    {
                        var value = Pipeline(w.Pipe, dot);
                        if (IsTrue(value))
                        {
                            return List(w.Then, value);
                        }

                        return w.Else is null ? Signal.None : List(w.Else, dot);
                    });
                case RangeNode r:
                    return Scoped(() => Range(r, dot));
                case TemplateNode t:
                {
                    if (!template._defined.TryGetValue(t.Name, out var body))
                    {
                        throw Exec(t.Line, $"no such template {GoQuote.Quote(t.Name)}");
                    }

                    if (++_depth > MaxTemplateDepth)
                    {
                        throw Exec(t.Line, $"exceeded maximum template depth ({MaxTemplateDepth})");
                    }

                    var newDot = t.Pipe is null ? null : Pipeline(t.Pipe, dot);
                    var saved = _variables.Count;
                    _variables.Add(("$", newDot));
                    List(body, newDot);
                    _variables.RemoveRange(saved, _variables.Count - saved);
                    _depth--;
                    return Signal.None;
                }

                case BreakNode:
                    return Signal.Break;
                case ContinueNode:
                    return Signal.Continue;
                default:
                    return Signal.None;
            }
        }

        private Signal Range(RangeNode r, Value? dot)
        {
            var value = Pipeline(r.Pipe, dot, declareLater: true);
            var any = false;
            foreach (var (key, element) in Elements(value, r.Line))
            {
                any = true;
                Step(r.Line);
                var mark = _variables.Count;
                if (r.Pipe.Variables.Count == 1)
                {
                    _variables.Add((r.Pipe.Variables[0], element));
                }
                else if (r.Pipe.Variables.Count == 2)
                {
                    _variables.Add((r.Pipe.Variables[0], key));
                    _variables.Add((r.Pipe.Variables[1], element));
                }

                var signal = List(r.Body, element);
                _variables.RemoveRange(mark, _variables.Count - mark);
                if (signal == Signal.Break)
                {
                    break;
                }
            }

            return any || r.Else is null ? Signal.None : List(r.Else, dot);
        }

        // (key, element) pairs of what range iterates: indexes of arrays and sets, sorted keys of objects.
        private static IEnumerable<(Value Key, Value Element)> Elements(Value? value, int line)
        {
            switch (value)
            {
                case ArrayValue a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        yield return (NumberValue.Create(i), a[i]);
                    }

                    break;
                case SetValue s:
                    var index = 0;
                    foreach (var item in s.Items.ToArray())
                    {
                        yield return (NumberValue.Create(index++), item);
                    }

                    break;
                case ObjectValue o:
                    foreach (var (k, v) in o.OrderBy(e => KeyText(e.Key), StringComparer.Ordinal))
                    {
                        yield return (StringValue.Create(KeyText(k)), v);
                    }

                    break;
                case NumberValue n when n.TryGetInt32(out var count) && count >= 0:
                    // Go 1.22: ranging over an integer counts from 0.
                    for (var i = 0; i < count; i++)
                    {
                        yield return (NumberValue.Create(i), NumberValue.Create(i));
                    }

                    break;
                case null or NullValue:
                    break;
                default:
                    throw Exec(line, $"range can't iterate over {Text(value)}");
            }
        }

        private void Step(int line)
        {
            if (++_steps > MaxSteps)
            {
                throw Exec(line, $"template exceeded {MaxSteps} steps");
            }

            if (Output.Length > MaxOutputLength)
            {
                throw Exec(line, $"template output exceeded {MaxOutputLength} characters");
            }
        }

        private Signal Scoped(Func<Signal> body)
        {
            var mark = _variables.Count;
            var signal = body();
            _variables.RemoveRange(mark, _variables.Count - mark);
            return signal;
        }

        private Value? Pipeline(Pipeline pipe, Value? dot, bool declareLater = false)
        {
            Value? value = null;
            var first = true;
            foreach (var command in pipe.Commands)
            {
                value = Command(command, dot, first ? null : new Box(value), pipe.Line);
                first = false;
            }

            if (!declareLater)
            {
                foreach (var name in pipe.Variables)
                {
                    if (pipe.IsAssign)
                    {
                        var i = _variables.FindLastIndex(v => v.Name == name);
                        if (i < 0)
                        {
                            throw Exec(pipe.Line, $"undefined variable: {name}");
                        }

                        _variables[i] = (name, value);
                    }
                    else
                    {
                        _variables.Add((name, value));
                    }
                }
            }

            return value;
        }

        // The result of a command; piped is the previous command's result, passed as the last argument.
        private Value? Command(Command command, Value? dot, Box? piped, int line)
        {
            var head = command.Args[0];
            if (head is IdentifierOperand function)
            {
                return Call(function.Name, command.Args.Skip(1).ToList(), piped, dot, line);
            }

            if (command.Args.Count > 1 || piped is not null)
            {
                throw Exec(line, $"can't give argument to non-function {Describe(head)}");
            }

            return Evaluate(head, dot, line);
        }

        private Value? Evaluate(Operand operand, Value? dot, int line) => operand switch
        {
            FieldOperand f => Fields(dot, f.Chain, line),
            VariableOperand v => Fields(Variable(v.Name, line), v.Chain, line),
            ConstantOperand c => Constant(c.Value),
            SubPipelineOperand p => Fields(Pipeline(p.Pipe, dot), p.Chain, line),
            IdentifierOperand i => Call(i.Name, [], null, dot, line),
            _ => throw Exec(line, "unknown operand"),
        };

        private Value? Variable(string name, int line)
        {
            var i = _variables.FindLastIndex(v => v.Name == name);
            return i >= 0 ? _variables[i].Value : throw Exec(line, $"undefined variable: {name}");
        }

        private static Value? Fields(Value? value, string[] chain, int line)
        {
            foreach (var field in chain)
            {
                value = value switch
                {
                    ObjectValue o => o.Get(field),
                    null => null,
                    NullValue => throw Exec(line, $"nil pointer evaluating interface {{}}.{field}"),
                    _ => throw Exec(line, $"can't evaluate field {field} in type {GoTypeName(value)}"),
                };
            }

            return value;
        }

        private static Value? Constant(object? value) => value switch
        {
            null => NullValue.Instance,
            bool b => BooleanValue.Create(b),
            string s => StringValue.Create(s),
            Value v => v,
            _ => throw new InvalidOperationException("unexpected constant"),
        };

        private Value? Call(string name, List<Operand> operands, Box? piped, Value? dot, int line)
        {
            // and / or evaluate their operands lazily.
            if (name is "and" or "or")
            {
                var count = operands.Count + (piped is null ? 0 : 1);
                if (count < 1)
                {
                    throw Exec(line, $"wrong number of args for {name}: want at least 1 got 0");
                }

                Value? last = null;
                for (var i = 0; i < count; i++)
                {
                    last = i < operands.Count ? Evaluate(operands[i], dot, line) : piped!.Value;
                    if (IsTrue(last) != (name == "and"))
                    {
                        return last;
                    }
                }

                return last;
            }

            var args = operands.Select(o => Evaluate(o, dot, line)).ToList();
            if (piped is not null)
            {
                args.Add(piped.Value);
            }

            return GoTemplateFunctions.Invoke(name, args, line);
        }
    }

    internal static bool IsTrue(Value? value) => value switch
    {
        null or NullValue => false,
        BooleanValue b => b.Value,
        StringValue s => s.Value.Length > 0,
        // A Go int (range index, len, literal) is true when non-zero. (Go would see a number from the data as a
        // json.Number string, true even when "0"; numbers are judged by value alike here.)
        NumberValue n => n.Sign != 0,
        ArrayValue a => a.Count > 0,
        SetValue s => s.Count > 0,
        ObjectValue o => o.Count > 0,
        _ => true,
    };

    private static string Describe(Operand operand) => operand switch
    {
        FieldOperand f => "." + string.Join('.', f.Chain),
        VariableOperand v => v.Name + string.Concat(v.Chain.Select(c => "." + c)),
        ConstantOperand c => c.Value?.ToString() ?? "nil",
        _ => "(pipeline)",
    };

    internal static RegoBuiltinException Exec(int line, string message) =>
        new($"template: template:{line.ToString(CultureInfo.InvariantCulture)}: executing \"template\": {message}");

    private sealed class Box(Value? value)
    {
        public Value? Value { get; } = value;
    }

    private enum Signal
    {
        None,
        Break,
        Continue,
    }
}
