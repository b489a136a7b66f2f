using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace AgentFabric.AspNetCore.Benchmarks;

/// <summary>
/// An <see cref="IServer"/> that listens nowhere: it keeps the host's application (hosting layer, middleware,
/// routing, endpoints) so a benchmark can run a request through the whole ASP.NET Core pipeline as Kestrel would,
/// without sockets or TLS, to isolate what the pipeline itself costs.
/// </summary>
internal sealed class CapturedPipeline : IServer
{
    private Func<IFeatureCollection, Task>? _process;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <summary>Runs one request whose features are <paramref name="features"/>, as the server would.</summary>
    public Task ProcessAsync(IFeatureCollection features) =>
        (_process ?? throw new InvalidOperationException("the host has not started")).Invoke(features);

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _process = async features =>
        {
            var context = application.CreateContext(features);
            try
            {
                await application.ProcessRequestAsync(context).ConfigureAwait(false);
                application.DisposeContext(context, null);
            }
            catch (Exception e)
            {
                application.DisposeContext(context, e);
                throw;
            }
        };
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}
