using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentFabric.AspNetCore.Tests;

/// <summary>Log lines of a host under test, by event id, so tests assert the exact reason a handshake was refused.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, string Message)> _lines = new();

    public IReadOnlyList<string> Messages(int eventId) => [.. _lines.Where(l => l.EventId == eventId).Select(l => l.Message)];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
