// Each benchmark registers itself in BenchmarkCatalog; run one by name:
//   dotnet run -c Release --project bench/DiffusionFunctions.Benchmarks -- <name>
Console.Error.WriteLine("usage: DiffusionFunctions.Benchmarks <name>");
return 2;
