using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentFabric.Cli.Up;

/// <summary>
/// <c>state.json</c>: the running <c>up</c> and each child it started (identity, start time, restarts), or the reason
/// a child was skipped. <c>up</c> rewrites it at every start and restart and deletes it when it stops;
/// <c>status</c> reads it to probe the children and <c>down</c> to stop them.
/// </summary>
internal sealed record FabricState
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    [JsonPropertyName("up")]
    public required RecordedProcess Up { get; init; }

    [JsonPropertyName("started_at")]
    public required DateTimeOffset StartedAt { get; init; }

    [JsonPropertyName("children")]
    public IReadOnlyList<RecordedChild> Children { get; init; } = [];

    /// <summary>Reads the state file; null when there is none (no <c>up</c> ran, or it stopped cleanly).</summary>
    /// <exception cref="FabricStateException">The file is not a state this command wrote.</exception>
    public static FabricState? TryLoad(FabricDirectory dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        string text;
        try
        {
            text = File.ReadAllText(dir.StateFile);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        return Parse(dir.StateFile, text);
    }

    /// <summary>Parses a state file's text; <paramref name="path"/> only names it in errors.</summary>
    /// <exception cref="FabricStateException">Not JSON, or not the state's shape.</exception>
    public static FabricState Parse(string path, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<FabricState>(json, s_json) ?? throw new JsonException("the document is null");
        }
        catch (JsonException e)
        {
            throw new FabricStateException(
                $"{path} is not a state file written by agentfabric up ({e.Message}); stop any agentfabric processes it started, then delete it", e);
        }
    }

    public void Save(FabricDirectory dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        FabricDirectory.WriteAtomically(dir.StateFile, JsonSerializer.Serialize(this, s_json) + "\n");
    }
}

/// <summary>A process in the state file: pid and the kernel's start time of that pid (see <see cref="ProcessIdentity"/>).</summary>
internal sealed record RecordedProcess(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("start_time")] long StartTime)
{
    public ProcessIdentity Identity => new(Pid, StartTime);
}

/// <summary>A child in the state file: running (a process), or skipped with the reason.</summary>
internal sealed record RecordedChild(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("process")] RecordedProcess? Process = null,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt = null,
    [property: JsonPropertyName("restarts")] int Restarts = 0,
    [property: JsonPropertyName("skipped")] string? Skipped = null);
