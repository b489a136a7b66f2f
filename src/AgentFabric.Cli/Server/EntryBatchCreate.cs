using AgentFabric.Server.Api.V1;
using AgentFabric.Server.Registration;
using Google.Protobuf;
using Grpc.Core;

namespace AgentFabric.Cli.Server;

/// <summary><c>entry create -data</c>: sends the file's entries with BatchCreateEntry and prints them as
/// spire-server does: each created entry on standard output, each refused one on standard error after
/// <c>Failed to create the following entry (code: ..., msg: "..."):</c>, then exit 1 if any was refused.</summary>
internal static class EntryBatchCreate
{
    // Each request stays under gRPC's default 4 MB message limit and the server's per-request maximum.
    private const int MaxRequestBytes = 3 * 1024 * 1024;

    public static async Task<int> RunAsync(CliConsole console, AdminService.AdminServiceClient client, IReadOnlyList<Entry> entries, bool json, CancellationToken cancellationToken)
    {
        var response = new BatchCreateEntryResponse();
        foreach (var request in Requests(entries))
        {
            var part = await client.BatchCreateEntryAsync(request, cancellationToken: cancellationToken);
            response.Results.AddRange(part.Results);
        }

        var failed = 0;
        if (json)
        {
            console.WriteJson(response);
            failed = response.Results.Count(r => r.Status.Code != 0);
        }
        else
        {
            var errors = new CliConsole(console.Error, console.Error);
            for (var i = 0; i < response.Results.Count; i++)
            {
                var result = response.Results[i];
                if (result.Status.Code == 0)
                {
                    EntryCommands.PrintEntries(console, [result.Entry]);
                    continue;
                }

                // As SPIRE: the refused entry is printed from the request (the response carries none).
                failed++;
                console.Error.WriteLine($"Failed to create the following entry (code: {(StatusCode)result.Status.Code}, msg: {Quote(result.Status.Message)}):");
                EntryCommands.PrintEntries(errors, [entries[i]]);
            }
        }

        return failed == 0 ? 0 : throw new CliException("failed to create one or more entries");
    }

    /// <summary>The entries split into requests of at most <see cref="RegistrationService.MaxBatchEntries"/> entries
    /// and <see cref="MaxRequestBytes"/> bytes, in order.</summary>
    internal static IEnumerable<BatchCreateEntryRequest> Requests(IReadOnlyList<Entry> entries)
    {
        var request = new BatchCreateEntryRequest();
        var bytes = 0;
        foreach (var entry in entries)
        {
            var size = CodedOutputStream.ComputeMessageSize(entry) + 1;
            if (request.Entries.Count > 0 && (request.Entries.Count == RegistrationService.MaxBatchEntries || bytes + size > MaxRequestBytes))
            {
                yield return request;
                request = new BatchCreateEntryRequest();
                bytes = 0;
            }

            request.Entries.Add(entry);
            bytes += size;
        }

        if (request.Entries.Count > 0)
        {
            yield return request;
        }
    }

    // Go's %q for the messages the server sends (printable text): quotes and backslashes escaped.
    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
