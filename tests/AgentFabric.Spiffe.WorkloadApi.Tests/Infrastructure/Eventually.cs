namespace AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>Waits for a condition that an asynchronous stream brings about (never to prove that nothing happened).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }
}
