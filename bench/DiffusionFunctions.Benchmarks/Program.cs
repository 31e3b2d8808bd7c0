using System.Reflection;
using BenchmarkDotNet.Running;
using DiffusionFunctions.Benchmarks;

// Usage:
//   dotnet run -c Release --project bench/DiffusionFunctions.Benchmarks -- list
//   dotnet run -c Release --project bench/DiffusionFunctions.Benchmarks -- <report-name> [options]
//   dotnet run -c Release --project bench/DiffusionFunctions.Benchmarks -- --filter '*Policy*'   (BenchmarkDotNet)
var reports = typeof(Program).Assembly.GetTypes()
    .Where(t => typeof(IBenchmarkReport).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkReport)Activator.CreateInstance(t)!)
    .OrderBy(r => r.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "list" or "-h" or "--help")
{
    Console.WriteLine("Stopwatch reports (print one line per figure):");
    foreach (var r in reports)
    {
        Console.WriteLine($"  {r.Name,-24} {r.Description}");
    }

    Console.WriteLine("BenchmarkDotNet classes: pass --filter '<pattern>' (see --list flat).");
    return 0;
}

var report = reports.FirstOrDefault(r => string.Equals(r.Name, args[0], StringComparison.OrdinalIgnoreCase));
if (report is not null)
{
    return await report.RunAsync(args[1..], Console.Out, CancellationToken.None);
}

BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
return 0;

/// <summary>Entry point; present so reflection can find this assembly.</summary>
public partial class Program;
