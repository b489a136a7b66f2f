using System.Text.Json;
using AgentFabric.Spiffe.Jose;

namespace AgentFabric.Spiffe.Svid.Jwt;

/// <summary>The JOSE header of a JWT-SVID (JWT-SVID §2), read and checked in one pass.</summary>
internal readonly record struct JoseHeader(JwsAlgorithm Algorithm, string? KeyId)
{
    /// <summary>Reads the decoded header; returns the error text, or null when the header is acceptable.</summary>
    public static string? TryRead(ReadOnlySpan<byte> json, out JoseHeader header)
    {
        header = default;
        string? alg = null, kid = null, typ = null, unknown = null;
        bool hasAlg = false, hasKid = false, hasTyp = false, hasCrit = false;
        JsonTokenType kidType = JsonTokenType.None, typType = JsonTokenType.None, algType = JsonTokenType.None;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "jwtsvid: header is not a JSON object";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // RFC 7515 §4: header parameter names MUST be unique.
                if (reader.ValueTextEquals("alg"u8))
                {
                    if (hasAlg)
                    {
                        return "jwtsvid: header has duplicate parameter \"alg\"";
                    }

                    hasAlg = true;
                    alg = ReadValue(ref reader, out algType);
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    if (hasKid)
                    {
                        return "jwtsvid: header has duplicate parameter \"kid\"";
                    }

                    hasKid = true;
                    kid = ReadValue(ref reader, out kidType);
                }
                else if (reader.ValueTextEquals("typ"u8))
                {
                    if (hasTyp)
                    {
                        return "jwtsvid: header has duplicate parameter \"typ\"";
                    }

                    hasTyp = true;
                    typ = ReadValue(ref reader, out typType);
                }
                else if (reader.ValueTextEquals("crit"u8))
                {
                    hasCrit = true;
                    reader.Read();
                    reader.Skip();
                }
                else
                {
                    unknown ??= reader.GetString();
                    reader.Read();
                    reader.Skip();
                }
            }

            // One JSON object and nothing after it.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return "jwtsvid: header is not a JSON object";
            }
        }
        catch (JsonException)
        {
            return "jwtsvid: header is not valid JSON";
        }
        catch (InvalidOperationException)
        {
            return "jwtsvid: header is not valid JSON";
        }

        // JWT-SVID §2.1, §4: alg is checked before anything else is processed.
        if (!hasAlg)
        {
            return "jwtsvid: header has no \"alg\"";
        }

        if (algType != JsonTokenType.String)
        {
            return "jwtsvid: header \"alg\" is not a string";
        }

        if (!JwsAlgorithm.TryGet(alg, out var algorithm))
        {
            return $"jwtsvid: unsupported token signature algorithm \"{alg}\"";
        }

        // RFC 7515 §4.1.11: a validator that does not understand a critical extension MUST reject; none is understood.
        if (hasCrit)
        {
            return "jwtsvid: header \"crit\" names extensions this validator does not understand";
        }

        // JWT-SVID §2: no header other than alg, kid and typ may be present.
        if (unknown is not null)
        {
            return $"jwtsvid: header parameter \"{unknown}\" is not allowed in a JWT-SVID";
        }

        // JWT-SVID §2.3: typ is optional; when set it is JWT or JOSE.
        if (hasTyp)
        {
            if (typType != JsonTokenType.String)
            {
                return "jwtsvid: header \"typ\" is not a string";
            }

            if (typ is not ("JWT" or "JOSE"))
            {
                return $"jwtsvid: header \"typ\" is \"{typ}\"; only \"JWT\" or \"JOSE\" is allowed";
            }
        }

        // JWT-SVID §2.2: kid is optional; when set it names a key.
        if (hasKid)
        {
            if (kidType != JsonTokenType.String)
            {
                return "jwtsvid: header \"kid\" is not a string";
            }

            if (kid!.Length == 0)
            {
                return "jwtsvid: header \"kid\" is empty";
            }
        }

        header = new JoseHeader(algorithm, kid);
        return null;
    }

    private static string? ReadValue(ref Utf8JsonReader reader, out JsonTokenType type)
    {
        reader.Read();
        type = reader.TokenType;
        if (type == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }
}
