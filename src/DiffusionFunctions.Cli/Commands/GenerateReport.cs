using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// What <c>dfx generate</c> reports: a summary line per prompt, or with <c>--json</c> one document for the whole run.
/// <c>steps</c> is always the number requested (as the PNG's parameters and the API say); <c>timesteps</c> is what the
/// scheduler ran (PNDM one more, image-to-image <c>int(steps × strength)</c>).
/// </summary>
internal sealed class GenerateReport(StableDiffusionModel model, GenerationSettings template)
{
    private readonly JsonArray _images = [];
    private readonly JsonArray _withheld = [];
    private GenerationResult? _last;
    private double _seconds;

    public void Add(string prompt, GenerationResult result, IReadOnlyList<string> paths)
    {
        _last = result;
        _seconds += result.Elapsed.TotalSeconds;
        for (var i = 0; i < paths.Count; i++)
        {
            _images.Add(new JsonObject { ["path"] = paths[i], ["prompt"] = prompt, ["seed"] = result.Images[i].Seed });
        }

        foreach (var index in result.WithheldIndices)
        {
            _withheld.Add(new JsonObject { ["prompt"] = prompt, ["seed"] = template.Seed + index });
        }
    }

    public string SummaryLine(GenerationResult result) => string.Create(CultureInfo.InvariantCulture,
        $"seed: {template.Seed}  scheduler: {result.SchedulerName}  steps: {template.Steps} ({result.StepsRun} scheduler timesteps)  size: {result.Width}x{result.Height}  guidance: {Guidance}  provider: {Provider}  time: {result.Elapsed.TotalSeconds:0.00}s");

    public string ToJson()
    {
        var document = new JsonObject
        {
            ["model"] = Path.GetFullPath(model.Directory),
            ["family"] = model.Family.Name,
            ["provider"] = Provider,
            ["scheduler"] = _last?.SchedulerName,
            ["steps"] = template.Steps,
            ["timesteps"] = _last?.StepsRun,
            ["unetBatch"] = _last?.UnetBatchSize,
            ["width"] = _last?.Width,
            ["height"] = _last?.Height,
            ["guidance"] = Guidance,
            ["seed"] = template.Seed,
            ["images"] = _images,
            ["withheld"] = _withheld,
            ["seconds"] = Math.Round(_seconds, 3),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private double Guidance => template.GuidanceScale ?? model.DefaultGuidanceScale;

    private string Provider => model.ExecutionProvider.ToString().ToLowerInvariant();
}
