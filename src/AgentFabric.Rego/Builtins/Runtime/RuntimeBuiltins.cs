using System.Text;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Runtime;

internal static class RuntimeBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        r.Register("print", new BuiltinSignature([], null, RegoType.Any), Print);
        r.Register("trace", [RegoType.String], RegoType.Boolean, static (_, a) =>
        {
            BuiltinArgs.String(a, 0);
            return BooleanValue.True;
        });

        // print(x, y) is compiled to internal.print([{x}, {y}]): each operand becomes the set of its values, empty when
        // the operand is undefined, so printing never makes a rule undefined.
        r.Register("internal.print", [RegoType.ArrayOf(RegoType.SetOf(RegoType.Any))], RegoType.Boolean, InternalPrint);

        // x in xs and k, v in xs.
        r.Register("internal.member_2", [RegoType.Any, RegoType.Any], RegoType.Boolean, BuiltinCatalog.Member2Function);
        r.Register("internal.member_3", [RegoType.Any, RegoType.Any, RegoType.Any], RegoType.Boolean, static (_, a) => BooleanValue.Create(BuiltinCatalog.Member3(a[0], a[1], a[2])));

        // Replaced by their values at compile time (annotations are static); registered for their signatures.
        r.Register("rego.metadata.chain", [], RegoType.ArrayOf(RegoType.Any), static (_, _) => ArrayValue.Empty);
        r.Register("rego.metadata.rule", [], RegoType.Any, static (_, _) => ObjectValue.Empty);

        r.Register("rego.parse_module", [RegoType.String, RegoType.String], RegoType.ObjectOf(RegoType.String, RegoType.Any), static (_, a) =>
        {
            var name = BuiltinArgs.String(a, 0);
            var text = BuiltinArgs.String(a, 1);
            try
            {
                return Ast.AstValue.Module(RegoEngine.ParseModule(name, text));
            }
            catch (RegoParseException e)
            {
                throw new RegoBuiltinException(e.Message, e);
            }
        });

        // walk is a relation the evaluator enumerates itself; the registration carries its signature.
        r.Register("walk", [RegoType.Any], RegoType.Tuple(RegoType.ArrayOf(RegoType.Any), RegoType.Any),
            static (_, _) => throw new RegoBuiltinException("walk must be evaluated as a relation"));

        // An embedded engine has no OPA runtime configuration to report; OPA returns {} in that case too.
        r.Register("opa.runtime", [], RegoType.ObjectOf(RegoType.String, RegoType.Any), static (_, _) => ObjectValue.Empty, BuiltinFlags.Nondeterministic);

        r.Register("http.send", [RegoType.ObjectOf(RegoType.String, RegoType.Any)], RegoType.ObjectOf(RegoType.Any, RegoType.Any), HttpSend, BuiltinFlags.Nondeterministic);
    }

    private static Value Print(BuiltinContext context, ReadOnlySpan<Value> args)
    {
        if (context.Print is { } sink)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < args.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append(' ');
                }

                AppendPrinted(sb, args[i]);
            }

            sink(sb.ToString());
        }

        return BooleanValue.True;
    }

    private static Value InternalPrint(BuiltinContext context, ReadOnlySpan<Value> args)
    {
        if (context.Print is not { } sink)
        {
            return BooleanValue.True;
        }

        var operands = BuiltinArgs.Array(args, 0);
        var sb = new StringBuilder();
        var first = true;
        foreach (var operand in operands)
        {
            if (!first)
            {
                sb.Append(' ');
            }

            first = false;
            if (operand is not SetValue values || values.Count == 0)
            {
                sb.Append("<undefined>");
                continue;
            }

            var firstValue = true;
            foreach (var v in values)
            {
                if (!firstValue)
                {
                    sb.Append(' ');
                }

                firstValue = false;
                AppendPrinted(sb, v);
            }
        }

        sink(sb.ToString());
        return BooleanValue.True;
    }

    // print writes strings raw and everything else as a term.
    private static void AppendPrinted(StringBuilder sb, Value v)
    {
        if (v is StringValue s)
        {
            sb.Append(s.Value);
        }
        else
        {
            v.WriteTerm(sb);
        }
    }

    private static readonly string[] HttpSendKeys =
    [
        "body", "cache", "caching_mode", "force_cache", "force_cache_duration_seconds", "force_json_decode",
        "force_yaml_decode", "headers", "max_retry_attempts", "method", "raise_error", "raw_body", "timeout",
        "tls_ca_cert", "tls_ca_cert_env_variable", "tls_ca_cert_file", "tls_client_cert", "tls_client_cert_env_variable",
        "tls_client_cert_file", "tls_client_key", "tls_client_key_env_variable", "tls_client_key_file",
        "tls_insecure_skip_verify", "tls_server_name", "url", "enable_redirect",
    ];

    // The engine is embedded in authorization decisions, which must not make outbound calls; the request is still
    // validated first so malformed calls report what OPA reports.
    private static Value HttpSend(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var request = BuiltinArgs.Object(a, 0);
        var invalid = new List<string>();
        foreach (var key in request.Keys)
        {
            if (key is not StringValue s || Array.IndexOf(HttpSendKeys, s.Value) < 0)
            {
                invalid.Add(key.ToString());
            }
        }

        if (invalid.Count > 0)
        {
            throw RegoBuiltinException.TypeError("invalid request parameters(s): {" + string.Join(", ", invalid) + "}");
        }

        var missing = new List<string>();
        foreach (var required in (ReadOnlySpan<string>)["method", "url"])
        {
            if (!request.TryGetValue(required, out _))
            {
                missing.Add(GoQuote.Quote(required));
            }
        }

        if (missing.Count > 0)
        {
            throw RegoBuiltinException.TypeError("missing required request parameters(s): {" + string.Join(", ", missing) + "}");
        }

        // Never an undefined call that a policy could mistake for "no answer": the decision fails with this error.
        throw new RegoBuiltinException("http.send is not supported by this engine (outbound HTTP from policy is disabled)") { Halts = true };
    }
}
