using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>Adds <c>workload.spiffe.io: true</c> to every call (Workload Endpoint §3: requests without it are
/// rejected, which keeps an SSRF from reaching the endpoint).</summary>
internal sealed class SecurityHeaderInterceptor : Interceptor
{
    public const string HeaderName = "workload.spiffe.io";
    public const string HeaderValue = "true";

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithHeader(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithHeader(context));

    private static ClientInterceptorContext<TRequest, TResponse> WithHeader<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        var headers = new Metadata();
        if (context.Options.Headers is { } existing)
        {
            foreach (var entry in existing)
            {
                if (!string.Equals(entry.Key, HeaderName, StringComparison.OrdinalIgnoreCase))
                {
                    headers.Add(entry);
                }
            }
        }

        headers.Add(HeaderName, HeaderValue);
        return new ClientInterceptorContext<TRequest, TResponse>(
            context.Method,
            context.Host,
            context.Options.WithHeaders(headers));
    }
}
