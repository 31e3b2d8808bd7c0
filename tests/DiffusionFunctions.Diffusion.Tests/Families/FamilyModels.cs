using System.Collections.Concurrent;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Tests.Onnx;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Diffusion.Tests.Families;

/// <summary>The generated family presets, each loaded once on CPU for the test class and shared.</summary>
public sealed class FamilyModels : IAsyncLifetime
{
    public static readonly ModelPreset[] Presets =
        [ModelPreset.SdxlTiny, ModelPreset.SdxlRefinerTiny, ModelPreset.SdxlTurboTiny, ModelPreset.LcmTiny, ModelPreset.SdTurboTiny];

    private readonly ConcurrentDictionary<ModelPreset, StableDiffusionModel> _models = new();

    public static Task<string> FolderAsync(ModelPreset preset) => GeneratedModelCache.GetPresetAsync(preset);

    public StableDiffusionModel this[ModelPreset preset] => _models[preset];

    /// <summary>A pipeline over <paramref name="preset"/> that records every UNet call's inputs into <paramref name="calls"/>.</summary>
    public StableDiffusionPipeline Recording(ModelPreset preset, List<IReadOnlyDictionary<string, UnetInputRecord>> calls) =>
        new(_models[preset]) { UnetInputObserver = inputs => calls.Add(inputs) };

    public async Task InitializeAsync()
    {
        foreach (var preset in Presets)
        {
            _models[preset] = StableDiffusionModel.Load(await FolderAsync(preset), TinyModelFixtureOptions.Cpu);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }

        return Task.CompletedTask;
    }

    /// <summary>Copies a preset's folder to a temp folder a test may break (deleted on dispose).</summary>
    internal static async Task<TempFolder> CopyAsync(ModelPreset preset)
    {
        var source = await FolderAsync(preset);
        var target = Path.Combine(Path.GetTempPath(), "dfx-family-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return new TempFolder(target);
    }
}

internal static class TinyModelFixtureOptions
{
    public static DiffusionEngineOptions Cpu => DiffusionFunctions.Diffusion.Tests.Pipeline.TinyModelFixture.CpuOptions;
}
