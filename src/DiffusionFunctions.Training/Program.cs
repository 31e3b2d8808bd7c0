using System.Globalization;
using DiffusionFunctions.Training.Training;

// dotnet run -c Release --project src/DiffusionFunctions.Training -- train --out models/tiny-shapes [--unet-steps N] ...
// dotnet run -c Release --project src/DiffusionFunctions.Training -- export --checkpoint FILE --out DIR
if (args.Length == 0 || args[0] is not ("train" or "export"))
{
    Console.Error.WriteLine("usage: train --out DIR [--work DIR] [--seed N] [--threads N] [--ae-steps N | --ae-minutes M] [--decoder-steps N] [--ae-batch N] [--ae-lr X] [--autoencoder-from CHECKPOINT] [--unet-steps N | --unet-minutes M] [--unet-batch N] [--scenes N]");
    Console.Error.WriteLine("       export --checkpoint FILE --out DIR");
    return 2;
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int? IntOption(string name) => Option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;

var output = Option("--out");
if (output is null)
{
    Console.Error.WriteLine("--out DIR is required.");
    return 2;
}

if (args[0] == "export")
{
    var checkpoint = Option("--checkpoint") ?? Path.Combine(Path.GetTempPath(), "tiny-shapes-work", "checkpoint.bin");
    foreach (var file in await TinyShapesTraining.ExportCheckpointAsync(checkpoint, output))
    {
        Console.WriteLine(file);
    }

    return 0;
}

var defaults = new TrainingOptions { OutputDirectory = output };
var options = defaults with
{
    WorkDirectory = Option("--work") ?? defaults.WorkDirectory,
    Seed = IntOption("--seed") ?? defaults.Seed,
    Threads = IntOption("--threads") ?? defaults.Threads,
    AutoencoderSteps = IntOption("--ae-steps") ?? defaults.AutoencoderSteps,
    AutoencoderMinutes = Option("--ae-minutes") is { } aeMinutes ? double.Parse(aeMinutes, CultureInfo.InvariantCulture) : null,
    DecoderSteps = IntOption("--decoder-steps") ?? defaults.DecoderSteps,
    AutoencoderCheckpoint = Option("--autoencoder-from"),
    AutoencoderBatch = IntOption("--ae-batch") ?? defaults.AutoencoderBatch,
    AutoencoderLearningRate = Option("--ae-lr") is { } aeLr ? double.Parse(aeLr, CultureInfo.InvariantCulture) : defaults.AutoencoderLearningRate,
    UnetSteps = IntOption("--unet-steps") ?? defaults.UnetSteps,
    UnetMinutes = Option("--unet-minutes") is { } minutes ? double.Parse(minutes, CultureInfo.InvariantCulture) : null,
    UnetBatch = IntOption("--unet-batch") ?? defaults.UnetBatch,
    SceneLimit = IntOption("--scenes"),
};
Console.WriteLine($"tiny-shapes training: {options}");
var report = await TinyShapesTraining.RunAsync(options);
var json = TinyShapesTraining.ToJson(report);
await File.WriteAllTextAsync(Path.Combine(output, "training-report.json"), json);
Console.WriteLine(json);
return 0;
