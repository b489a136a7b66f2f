using System.Diagnostics;
using System.Reflection;
using AgentFabric.Rego.Values;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

namespace AgentFabric.Rego.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.Rego.Benchmarks -- --filter '*'
    // dotnet run -c Release --project bench/AgentFabric.Rego.Benchmarks -- --quick [name]   (every benchmark's methods
    // timed side by side in one process, interleaved round by round: the steadiest ratios on a noisy machine)
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

    // --quick [name]: every benchmark method of each class in one process, interleaved: 15 rounds, each timing every
    // method for about 100 ms, then the median per method and its ratio to the baseline's median. Machine noise
    // here shifts whole processes by up to 1.5x (BenchmarkDotNet runs each method in processes of its own), so
    // measuring the methods side by side, round after round, gives the steadiest ratio.
    private static void Quick(string filter)
    {
        const int Rounds = 15;
        foreach (var type in typeof(Program).Assembly.GetTypes().Where(t => t.GetCustomAttribute<ShortRunJobAttribute>() is not null && t.Name.Contains(filter, StringComparison.Ordinal)))
        {
            var instance = CreateAfterSetup(type);
            var methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).ToArray();
            var runs = methods.Select(m => Caller(m, instance)).ToArray();
            var times = methods.Select(_ => new List<double>()).ToArray();
            var bytes = new double[methods.Length];
            foreach (var run in runs)
            {
                NsPerCall(run, 0.5);
            }

            for (var round = 0; round < Rounds; round++)
            {
                for (var i = 0; i < runs.Length; i++)
                {
                    var b0 = GC.GetAllocatedBytesForCurrentThread();
                    var calls = 0L;
                    var sw = Stopwatch.StartNew();
                    while (sw.ElapsedMilliseconds < 100)
                    {
                        for (var k = 0; k < 1000; k++)
                        {
                            runs[i]();
                        }

                        calls += 1000;
                    }

                    times[i].Add(sw.Elapsed.TotalNanoseconds / calls);
                    bytes[i] = (GC.GetAllocatedBytesForCurrentThread() - b0) / (double)calls;
                }
            }

            var medians = times.Select(t => t.Order().ElementAt(t.Count / 2)).ToArray();
            for (var i = 0; i < methods.Length; i++)
            {
                Console.WriteLine($"{type.Name,-28} {methods[i].Name,-22} {medians[i],10:F1} ns (min {times[i].Min(),7:F1}, max {times[i].Max(),7:F1})  {bytes[i],6:F0} B  ratio {medians[i] / medians[0],6:F2}");
            }
        }
    }

    // A benchmark method as a plain call (no reflection per call), whatever it returns.
    private static Action Caller(MethodInfo method, object instance) =>
        (Action)typeof(Program).GetMethod(nameof(CallerOf), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(method.ReturnType).Invoke(null, [method, instance])!;

    private static Action CallerOf<T>(MethodInfo method, object instance)
    {
        var call = method.CreateDelegate<Func<T>>(instance);
        return () => call();
    }
}
