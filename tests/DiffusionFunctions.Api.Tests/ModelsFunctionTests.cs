using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Models;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Tests;

/// <summary>
/// <c>GET /api/models</c> and the submit's vocabulary warnings, over the shipped model's JSON files (copied beside the
/// API's binaries) or a model folder written by the test.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ModelsFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Without_settings_the_api_describes_the_shipped_model_from_its_folder()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var model = Assert.Single(GetModels(host).Models);

        Assert.Equal("tiny-shapes", model.Name);
        Assert.Equal("OnnxStableDiffusionPipeline", model.Pipeline);
        Assert.Equal(new ModelDefaultsResource(64, 64, 25, 2.5, "ddim"), model.Defaults);
        Assert.Equal(new ModelLimitsResource(64, 1024, 8, 1, 150, 0, 30, 4), model.Limits);
        Assert.Contains("pndm", model.Schedulers);
        Assert.Contains("star", model.Vocabulary!);
        Assert.DoesNotContain("fox", model.Vocabulary!);
    }

    [Fact]
    public async Task Operator_pins_show_as_the_defaults()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, new()
        {
            ["DiffusionFunctions:Generation:DefaultSteps"] = "12",
            ["DiffusionFunctions:Generation:DefaultGuidanceScale"] = "1.5",
            ["DiffusionFunctions:Generation:DefaultScheduler"] = "euler",
        });

        Assert.Equal(new ModelDefaultsResource(64, 64, 12, 1.5, "euler"), Assert.Single(GetModels(host).Models).Defaults);
    }

    [Fact]
    public async Task A_configured_folder_is_read_for_its_sizes_guidance_and_scheduler_and_may_publish_no_vocabulary()
    {
        var folder = Directory.CreateTempSubdirectory("df-model-").FullName;
        try
        {
            Write(folder, "model_index.json", """{"_class_name":"OnnxStableDiffusionPipeline","_name_or_path":"my-sd"}""");
            Write(folder, "unet/config.json", """{"sample_size":96}""");
            Write(folder, "vae_decoder/config.json", """{"block_out_channels":[128,256,512,512]}""");
            Write(folder, "scheduler/scheduler_config.json", """{"_class_name":"DPMSolverMultistepScheduler","use_karras_sigmas":true}""");
            await using var host = await ApiTestHost.StartAsync(azurite, new() { ["DiffusionFunctions:Model:Path"] = folder });

            var model = Assert.Single(GetModels(host).Models);

            Assert.Equal("my-sd", model.Name);
            Assert.Equal(new ModelDefaultsResource(768, 768, 25, 7.5, "dpm++-2m-karras"), model.Defaults);
            Assert.Null(model.Vocabulary);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_turbo_folders_generation_config_gives_its_few_default_steps_and_no_guidance_for_each_listed_model()
    {
        // What ModelGeneration's sdxl-turbo-tiny preset writes (and stabilityai/sdxl-turbo's export says): 1 step, guidance 0.
        var folder = Directory.CreateTempSubdirectory("df-turbo-").FullName;
        try
        {
            Write(folder, "model_index.json", """{"_class_name":"StableDiffusionXLPipeline","_name_or_path":"sdxl-turbo-tiny"}""");
            Write(folder, "generation_config.json", """{"guidance_scale":0,"num_inference_steps":1}""");
            Write(folder, "scheduler/scheduler_config.json", """{"_class_name":"EulerAncestralDiscreteScheduler","timestep_spacing":"trailing"}""");
            await using var host = await ApiTestHost.StartAsync(azurite, new()
            {
                ["DiffusionFunctions:DefaultModel"] = "shapes",
                ["DiffusionFunctions:Models:shapes:Path"] = "models/tiny-shapes",
                ["DiffusionFunctions:Models:turbo:Path"] = folder,
            });

            var models = GetModels(host).Models;

            Assert.Equal(["shapes", "turbo"], models.Select(m => m.Name));
            Assert.Equal(25, models[0].Defaults.Steps); // the shipped folder names no steps: the engine's 25
            Assert.Equal((1, 0.0, "euler-ancestral"), (models[1].Defaults.Steps, models[1].Defaults.GuidanceScale, models[1].Defaults.Scheduler));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2.5")]
    [InlineData("\"four\"")]
    public async Task A_num_inference_steps_the_engine_would_refuse_is_a_description_error_naming_the_file(string steps)
    {
        var folder = Directory.CreateTempSubdirectory("df-model-").FullName;
        try
        {
            Write(folder, "model_index.json", "{}");
            Write(folder, "generation_config.json", $$"""{"num_inference_steps":{{steps}}}""");

            var error = Assert.Throws<ModelDescriptionException>(() => ModelFolderReader.Read(folder));

            Assert.Contains("generation_config.json: 'num_inference_steps' must be a whole number from 1 to 500", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_model_path_that_is_not_a_model_folder_fails_start_up_naming_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("df-not-a-model-").FullName;
        try
        {
            await using var host = await ApiTestHost.StartAsync(azurite, new() { ["DiffusionFunctions:Model:Path"] = folder });

            var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

            Assert.Contains("DiffusionFunctions:Model:Path", error.Message, StringComparison.Ordinal);
            Assert.Contains("model_index.json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Submit_warns_about_prompt_words_the_model_does_not_know_and_still_accepts_the_job()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var resource = await SubmitAsync(host, """{"prompt":"a red fox on a White background, (oil painting:1.2)"}""");

        Assert.Equal(
            ["fox", "oil", "painting"],
            resource.Warnings.Select(w => w.Split('\'')[3]).ToArray());
        Assert.All(resource.Warnings, w => Assert.Contains("GET /api/models", w, StringComparison.Ordinal));
        Assert.Equal("queued", resource.Status);
    }

    [Fact]
    public async Task Submit_of_a_prompt_in_the_models_words_has_no_warnings()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var resource = await SubmitAsync(host, """{"prompt":"a small red star in the top left on a white background"}""");

        Assert.Empty(resource.Warnings);
    }

    [Fact]
    public async Task A_model_without_a_vocabulary_gives_no_warnings()
    {
        var folder = Directory.CreateTempSubdirectory("df-model-").FullName;
        try
        {
            Write(folder, "model_index.json", "{}");
            await using var host = await ApiTestHost.StartAsync(azurite, new() { ["DiffusionFunctions:Model:Path"] = folder });

            Assert.Empty((await SubmitAsync(host, """{"prompt":"a fox"}""")).Warnings);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Publish_false_describes_no_model_and_gives_no_warnings()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, new() { ["DiffusionFunctions:Model:Publish"] = "false" });

        Assert.Empty(GetModels(host).Models);
        Assert.Empty((await SubmitAsync(host, """{"prompt":"a fox"}""")).Warnings);
    }

    private static ModelsResource GetModels(ApiTestHost host) =>
        Assert.IsType<ModelsResource>(Assert.IsType<OkObjectResult>(
            host.Create<GetModelsFunction>().GetModels(HttpRequestBuilder.Get("/api/models").Build())).Value);

    private static async Task<GenerationResource> SubmitAsync(ApiTestHost host, string json)
    {
        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(
            HttpRequestBuilder.Post("/api/generations").WithJson(json).Build(), CancellationToken.None);
        return Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(result).Value);
    }

    private static void Write(string folder, string relative, string json)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
    }
}
