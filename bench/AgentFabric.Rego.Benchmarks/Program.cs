using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

namespace AgentFabric.Rego.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.Rego.Benchmarks -- --filter '*'
    // dotnet run -c Release --project bench/AgentFabric.Rego.Benchmarks -- --quick [name]   (a rough in-process
    // timing of every benchmark for iterating on the evaluator; BenchmarkDotNet gives the figures to report)
    // ... -- --loop-policy POLICY.rego DATA.json INPUT.json QUERY   (a policy from files, timed the same rough way)
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--quick")
        {
            Quick(args.Length > 1 ? args[1] : "");
            return;
        }

        if (args.Length > 4 && args[0] == "--loop-policy")
        {
            LoopPolicy(args[1], args[2], args[3], args[4]);
            return;
        }

        if (args.Length > 2 && args[0] == "--loop")
        {
            Loop(args[1], args[2], args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 10);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    // --loop Type Method seconds: calls one benchmark in a tight loop (no clock read per call), for `perf record`
    // with DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0.
    private static void Loop(string typeName, string methodName, int seconds)
    {
        var type = typeof(Program).Assembly.GetTypes().Single(t => t.Name == typeName);
        var run = type.GetMethod(methodName)!.CreateDelegate<Func<bool>>(CreateAfterSetup(type));
        Console.WriteLine($"{typeName}.{methodName}: {NsPerCall(() => run(), seconds):F1} ns per call");
    }

    // An instance of a benchmark class with its [GlobalSetup] methods run.
    private static object CreateAfterSetup(Type type)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var setup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null))
        {
            setup.Invoke(instance, null);
        }

        return instance;
    }

    // Calls in batches of 100,000 for about the given time; the clock is read once per batch.
    private static double NsPerCall(Action run, double seconds)
    {
        var sw = Stopwatch.StartNew();
        long n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 100_000; i++)
            {
                run();
            }

            n += 100_000;
        }

        return sw.Elapsed.TotalNanoseconds / n;
    }

    // --loop-policy POLICY DATA INPUT QUERY: a prepared query over files in a tight loop, three rounds of about a
    // second, to compare policy variants while working on the evaluator (BenchmarkDotNet gives the figures to report).
    private static void LoopPolicy(string policyFile, string dataFile, string inputFile, string query)
    {
        var policy = BenchPolicies.Engine.Compile([new RegoModuleSource(policyFile, File.ReadAllText(policyFile))], Value.ParseJson(File.ReadAllText(dataFile)));
        var prepared = BenchPolicies.Engine.Prepare(policy, query);
        var input = Value.ParseJson(File.ReadAllText(inputFile));
        Console.Write($"{prepared.Evaluate(input).ToJson()}:");
        for (var round = 0; round < 3; round++)
        {
            Console.Write($" {NsPerCall(() => prepared.Evaluate(input), 1):F1}");
        }

        Console.WriteLine(" ns per evaluation");
    }

    private static void Quick(string filter)
    {
        foreach (var type in typeof(Program).Assembly.GetTypes().Where(t => t.GetCustomAttribute<ShortRunJobAttribute>() is not null && t.Name.Contains(filter, StringComparison.Ordinal)))
        {
            var instance = CreateAfterSetup(type);
            var results = new List<(string Name, double Ns, double Bytes)>();
            foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            {
                var run = (Func<object>)(() => method.Invoke(instance, null)!);
                var ns = 0.0;
                var bytes = 0.0;
                for (var round = 0; round < 3; round++)
                {
                    var n = 0;
                    var b0 = GC.GetAllocatedBytesForCurrentThread();
                    var sw = Stopwatch.StartNew();
                    while (sw.ElapsedMilliseconds < 300)
                    {
                        run();
                        n++;
                    }

                    ns = sw.Elapsed.TotalNanoseconds / n;
                    bytes = (GC.GetAllocatedBytesForCurrentThread() - b0) / (double)n;
                }

                results.Add((method.Name, ns, bytes));
            }

            var baseline = results[0].Ns;
            foreach (var (name, ns, bytes) in results)
            {
                Console.WriteLine($"{type.Name,-28} {name,-12} {ns,12:F1} ns  {bytes,10:F0} B  ratio {ns / baseline,8:F2}");
            }
        }
    }
}
