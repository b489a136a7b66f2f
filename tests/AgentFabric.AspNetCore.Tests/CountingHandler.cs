namespace AgentFabric.AspNetCore.Tests;

/// <summary>Counts the POSTs going through a named client (here: token exchanges sent to the edge).</summary>
internal sealed class CountingHandler : DelegatingHandler
{
    private int _posts;

    public int Posts => Volatile.Read(ref _posts);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post)
        {
            Interlocked.Increment(ref _posts);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
