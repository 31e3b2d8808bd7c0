using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Routing;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Tests.Routing;

/// <summary>The model list: its resolution (queues, rules, default) and its start-up validation.</summary>
public sealed class DeployedModelsTests
{
    private static readonly DiffusionStorageOptions Storage = new() { GenerationQueue = "generation-requests" };

    private static DeployedModels Models(ModelListOptions list, GenerationOptions? generation = null)
        => new(Options.Create(list), Options.Create(generation ?? new GenerationOptions()), Options.Create(Storage));

    private static ValidateOptionsResult Validate(ModelListOptions list, GenerationOptions? generation = null)
        => new ModelListOptionsValidator(Options.Create(generation ?? new GenerationOptions()), Options.Create(Storage)).Validate(null, list);

    private static ModelListOptions List(string? defaultModel, params (string Name, ModelEntryOptions Entry)[] models)
    {
        var list = new ModelListOptions { DefaultModel = defaultModel };
        foreach (var (name, entry) in models)
        {
            list.Models[name] = entry;
        }

        return list;
    }

    [Fact]
    public void Without_a_list_one_unnamed_default_model_serves_the_deployments_queue_under_its_rules()
    {
        var generation = new GenerationOptions { MaxSteps = 60 };
        var models = Models(new ModelListOptions(), generation);

        var only = Assert.Single(models.All);
        Assert.False(models.IsListed);
        Assert.Null(only.Name);
        Assert.True(only.IsDefault);
        Assert.Equal("generation-requests", only.Queue);
        Assert.Same(generation, only.Generation);
        Assert.Equal(ModelModes.All, only.Modes);
        Assert.Equal("generation-requests", models.QueueFor(null));
        Assert.Empty(models.Names);
        Assert.True(Validate(new ModelListOptions()).Succeeded);
    }

    [Fact]
    public void Listed_models_get_their_own_queues_rules_and_defaults_over_the_deployments()
    {
        var generation = new GenerationOptions { MaxSize = 768, DefaultSteps = 30 };
        var models = Models(List("sdxl",
            ("sd15", new ModelEntryOptions { MaxSize = 512 }),
            ("sdxl", new ModelEntryOptions { Queue = "xl-jobs", MinSize = 512, MaxSize = 1024, DefaultSteps = 4, Modes = "img2img,txt2img" })), generation);

        Assert.True(models.IsListed);
        Assert.Equal(["sdxl", "sd15"], models.Names); // the default first
        Assert.Equal("sdxl", models.Default.Name);
        Assert.Equal("xl-jobs", models.QueueFor("SDXL"));
        Assert.Equal("generation-requests-sd15", models.QueueFor("sd15"));
        Assert.Equal("xl-jobs", models.QueueFor(null));
        var sd15 = models.Find("sd15")!;
        Assert.Equal((64, 512, 30), (sd15.Generation.MinSize, sd15.Generation.MaxSize, sd15.Generation.DefaultSteps));
        var sdxl = models.Find("sdxl")!;
        Assert.Equal((512, 1024, 4), (sdxl.Generation.MinSize, sdxl.Generation.MaxSize, sdxl.Generation.DefaultSteps));
        Assert.Equal([GenerationMode.TextToImage, GenerationMode.ImageToImage], sdxl.Modes);
        Assert.Equal(768, generation.MaxSize); // the deployment's options are not changed
        Assert.Null(models.Find("sd21"));
        Assert.True(Validate(List("sdxl", ("sd15", new ModelEntryOptions()), ("sdxl", new ModelEntryOptions { Queue = "xl-jobs" }))).Succeeded);
    }

    [Fact]
    public void One_listed_model_is_its_own_default()
    {
        var list = List(null, ("only", new ModelEntryOptions()));

        Assert.True(Models(list).Default.Name == "only");
        Assert.True(Validate(list).Succeeded);
    }

    [Theory]
    [InlineData("Has_Capitals", "the model name 'Has_Capitals' must be 1-32 lower-case letters")]
    [InlineData("double--hyphen", "the model name 'double--hyphen' must be")]
    [InlineData("-leading", "the model name '-leading' must be")]
    [InlineData("a-name-that-is-far-too-long-for-a-model", "must be 1-32")]
    public void Bad_names_fail_naming_the_section(string name, string expected)
    {
        var result = Validate(List(name, (name, new ModelEntryOptions())));

        Assert.True(result.Failed);
        Assert.Contains($"DiffusionFunctions:Models:{name}: ", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_model_without_a_list_fails()
    {
        var result = Validate(new ModelListOptions { DefaultModel = "sd15" });

        Assert.Contains("DiffusionFunctions:DefaultModel is 'sd15' but DiffusionFunctions:Models lists no model", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_queue_without_room_for_its_poison_queue_or_equal_to_the_events_queue_fails()
    {
        var longQueue = new string('q', 60);

        var tooLong = Validate(List("a", ("a", new ModelEntryOptions { Queue = longQueue })));
        var events = Validate(List("a", ("a", new ModelEntryOptions { Queue = new DiffusionStorageOptions().EventsQueue })));

        Assert.Contains($"DiffusionFunctions:Models:a:Queue '{longQueue}'", tooLong.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("must differ from DiffusionFunctions:Storage:EventsQueue", events.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_model_ranges_are_checked_as_the_deployments_are_with_the_models_section_named()
    {
        var result = Validate(List("a", ("a", new ModelEntryOptions { MinSteps = 5, MaxSteps = 2, MinSize = 100 })));

        Assert.Contains("DiffusionFunctions:Models:a:MinSize must be a positive multiple of 8, got 100.", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("DiffusionFunctions:Models:a:MinSteps and DiffusionFunctions:Models:a:MaxSteps must satisfy", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_validator_checks_a_request_against_the_models_rules_and_records_its_name()
    {
        var model = Models(List("turbo", ("turbo", new ModelEntryOptions { MaxSteps = 4, DefaultSteps = 1, Modes = "txt2img" }))).Default;
        var validator = new GenerationRequestValidator(Options.Create(new GenerationOptions()));

        var fine = validator.Validate(new GenerationRequest { Prompt = "a boat" }, false, false, model);
        var tooMany = validator.Validate(new GenerationRequest { Prompt = "a boat", Steps = 8 }, false, false, model);
        var img2img = validator.Validate(new GenerationRequest { Prompt = "a boat", Mode = "img2img" }, true, false, model);

        Assert.Equal(("turbo", 1), (fine.Parameters!.Model, fine.Parameters.Steps));
        Assert.Equal(["steps must be between 1 and 4, got 8."], tooMany.Errors.ToDictionary()["steps"]);
        Assert.Equal(["Model 'turbo' does not support mode img2img; it supports: txt2img."], img2img.Errors.ToDictionary()["mode"]);
        Assert.True(validator.Validate(new GenerationRequest { Prompt = "a boat", Steps = 8 }, false, false).IsValid); // the deployment's rules
    }

    [Fact]
    public void The_request_reader_takes_a_model_field()
    {
        var read = GenerationRequestJsonReader.Read("""{"prompt":"a boat","model":"sdxl"}"""u8.ToArray());

        Assert.Equal("sdxl", read.Request!.Model);
    }
}
