using System.Text;
using AgentFabric.Rego.Builtins.Strings;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Patterns;

internal static class RegexBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        RegoType[] s2 = [RegoType.String, RegoType.String];
        var stringArray = RegoType.ArrayOf(RegoType.String);
        r.Register("regex.match", s2, RegoType.Boolean, RegexMatch);
        r.Register("re_match", s2, RegoType.Boolean, RegexMatch, BuiltinFlags.Deprecated);
        r.Register("regex.is_valid", [RegoType.String], RegoType.Boolean, static (_, a) =>
        {
            if (a[0] is not StringValue s)
            {
                return BooleanValue.False;
            }

            try
            {
                RegexRe2.Get(s.Value);
                return BooleanValue.True;
            }
            catch (RegexRe2Exception)
            {
                return BooleanValue.False;
            }
        });
        r.Register("regex.split", s2, stringArray, static (_, a) =>
        {
            var re = RegexCompile(BuiltinArgs.String(a, 0));
            return StringsBuiltins.StringsToArray(re.Split(BuiltinArgs.String(a, 1)));
        });
        r.Register("regex.find_n", [RegoType.String, RegoType.String, RegoType.Number], stringArray, static (_, a) =>
        {
            var re = RegexCompile(BuiltinArgs.String(a, 0));
            var s = BuiltinArgs.String(a, 1);
            var n = BuiltinArgs.Int32(a, 2);
            return ArrayValue.CreateRange(re.FindAll(s, n).Select(m => (Value)StringValue.Create(m.Value)));
        });
        r.Register("regex.find_all_string_submatch_n", [RegoType.String, RegoType.String, RegoType.Number], RegoType.ArrayOf(stringArray), static (_, a) =>
        {
            var re = RegexCompile(BuiltinArgs.String(a, 0));
            var s = BuiltinArgs.String(a, 1);
            var n = BuiltinArgs.Int32(a, 2);
            var matches = new List<Value>();
            foreach (var m in re.FindAll(s, n))
            {
                var groups = new Value[m.Groups.Count];
                for (var g = 0; g < groups.Length; g++)
                {
                    groups[g] = StringValue.Create(m.Groups[g].Success ? m.Groups[g].Value : string.Empty);
                }

                matches.Add(ArrayValue.Create(groups));
            }

            return ArrayValue.CreateRange(matches);
        });
        r.Register("regex.replace", [RegoType.String, RegoType.String, RegoType.String], RegoType.String, static (_, a) =>
        {
            var s = BuiltinArgs.String(a, 0);
            var re = RegexCompile(BuiltinArgs.String(a, 1));
            var replacement = BuiltinArgs.String(a, 2);
            return StringValue.Create(re.ReplaceAll(s, replacement));
        });
        r.Register("regex.template_match", [RegoType.String, RegoType.String, RegoType.String, RegoType.String], RegoType.Boolean, RegexTemplateMatch);
        r.Register("regex.globs_match", s2, RegoType.Boolean, static (_, a) =>
        {
            var g1 = BuiltinArgs.String(a, 0);
            var g2 = BuiltinArgs.String(a, 1);
            try
            {
                return BooleanValue.Create(RegexGlobIntersection.NonEmpty(g1, g2));
            }
            catch (RegexGlobException e)
            {
                throw new RegoBuiltinException(e.Message, e);
            }
        });
    }

    private static RegexRe2 RegexCompile(string pattern)
    {
        try
        {
            return RegexRe2.Get(pattern);
        }
        catch (RegexRe2Exception e)
        {
            throw new RegoBuiltinException(e.Message, e);
        }
    }

    private static Value RegexMatch(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var re = RegexCompile(BuiltinArgs.String(a, 0));
        return BooleanValue.Create(re.IsMatch(BuiltinArgs.String(a, 1)));
    }

    // The template's delimited parts are regexes, the rest literal text; the whole value must match (gorilla/mux
    // style templates, as OPA implements them).
    private static Value RegexTemplateMatch(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var template = BuiltinArgs.String(a, 0);
        var value = BuiltinArgs.String(a, 1);
        var start = BuiltinArgs.String(a, 2);
        var end = BuiltinArgs.String(a, 3);
        if (Encoding.UTF8.GetByteCount(start) != 1)
        {
            throw new RegoBuiltinException($"start delimiter has to be exactly one character long but is {Encoding.UTF8.GetByteCount(start)} long");
        }

        if (Encoding.UTF8.GetByteCount(end) != 1)
        {
            // OPA reports the start delimiter's length here.
            throw new RegoBuiltinException($"end delimiter has to be exactly one character long but is {Encoding.UTF8.GetByteCount(start)} long");
        }

        var pattern = new StringBuilder("^");
        var level = 0;
        var open = 0;
        var literalStart = 0;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == start[0])
            {
                if (++level == 1)
                {
                    open = i;
                }
            }
            else if (template[i] == end[0])
            {
                if (--level == 0)
                {
                    var inner = template[(open + 1)..i];
                    RegexCompile("^" + inner + "$");
                    pattern.Append(QuoteRegexMeta(template[literalStart..open])).Append('(').Append(inner).Append(')');
                    literalStart = i + 1;
                }
                else if (level < 0)
                {
                    throw new RegoBuiltinException($"unbalanced braces in {GoQuote.Quote(template)}");
                }
            }
        }

        if (level != 0)
        {
            throw new RegoBuiltinException($"unbalanced braces in {GoQuote.Quote(template)}");
        }

        pattern.Append(QuoteRegexMeta(template[literalStart..])).Append('$');
        return BooleanValue.Create(RegexCompile(pattern.ToString()).IsMatch(value));
    }

    /// <summary>Go's <c>regexp.QuoteMeta</c>.</summary>
    internal static string QuoteRegexMeta(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if ("\\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
