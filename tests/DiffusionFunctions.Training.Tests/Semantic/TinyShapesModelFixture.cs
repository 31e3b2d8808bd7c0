using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Training.Tests.Semantic;

/// <summary>The shipped tiny-shapes model folder, loaded once for the semantic tests (ONNX Runtime, CPU).</summary>
public sealed class TinyShapesModelFixture : IDisposable
{
    private readonly Lazy<StableDiffusionModel> model = new(() =>
        StableDiffusionModel.Load(FolderPath, new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu }));

    /// <summary>
    /// <c>models/tiny-shapes</c> in the checkout, or the folder named by <c>DFX_TINY_SHAPES_MODEL</c> (to judge a
    /// freshly trained candidate before it replaces the shipped one).
    /// </summary>
    public static string FolderPath =>
        Environment.GetEnvironmentVariable("DFX_TINY_SHAPES_MODEL") is { Length: > 0 } candidate
            ? Path.GetFullPath(candidate)
            : Path.Combine(RepositoryPaths.Root, "models", "tiny-shapes");

    /// <summary>Whether the model is committed (the semantic tests skip, with that reason, only when it is not).</summary>
    public static bool Present => File.Exists(Path.Combine(FolderPath, "model_index.json"));

    public StableDiffusionPipeline Pipeline => new(model.Value);

    /// <summary>The loaded folder's default guidance scale (its <c>generation_config.json</c>).</summary>
    public double DefaultGuidanceScale => model.Value.DefaultGuidanceScale;

    public void Dispose()
    {
        if (model.IsValueCreated)
        {
            model.Value.Dispose();
        }
    }
}

/// <summary>A fact that runs only when <c>models/tiny-shapes</c> exists, and says so when it skips.</summary>
public sealed class TinyShapesModelFactAttribute : FactAttribute
{
    public TinyShapesModelFactAttribute()
    {
        if (!TinyShapesModelFixture.Present)
        {
            Skip = $"The trained model folder {TinyShapesModelFixture.FolderPath} is absent (train it with: infra/scripts/train-tiny-shapes.sh).";
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TinyShapesCollection : ICollectionFixture<TinyShapesModelFixture>
{
    public const string Name = "tiny-shapes model";
}
