using System.Text.Json;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Models;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Tests;

/// <summary>
/// One deployment, several models (<c>DiffusionFunctions:Models</c>): the API picks the job's model, checks the request
/// against that model's rules, and enqueues it on that model's queue; <c>GET /api/models</c> lists them all. Two models:
/// <c>shapes</c> (the shipped tiny-shapes folder, the default) and <c>turbo</c> (described from its settings alone, as in
/// the cloud, where only its worker holds the folder).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ModelRoutingTests(AzuriteFixture azurite)
{
    private const string Path = "/api/generations";

    private static Dictionary<string, string?> TwoModels() => new()
    {
        ["DiffusionFunctions:DefaultModel"] = "shapes",
        ["DiffusionFunctions:Models:shapes:Path"] = "models/tiny-shapes",
        ["DiffusionFunctions:Models:shapes:Family"] = "sd15",
        ["DiffusionFunctions:Models:shapes:MaxSize"] = "256",
        ["DiffusionFunctions:Models:turbo:Family"] = "sd-turbo",
        ["DiffusionFunctions:Models:turbo:Modes"] = "txt2img, img2img",
        ["DiffusionFunctions:Models:turbo:MinSize"] = "128",
        ["DiffusionFunctions:Models:turbo:MaxSize"] = "512",
        ["DiffusionFunctions:Models:turbo:MinSteps"] = "1",
        ["DiffusionFunctions:Models:turbo:MaxSteps"] = "4",
        ["DiffusionFunctions:Models:turbo:DefaultWidth"] = "512",
        ["DiffusionFunctions:Models:turbo:DefaultHeight"] = "512",
        ["DiffusionFunctions:Models:turbo:DefaultSteps"] = "1",
        ["DiffusionFunctions:Models:turbo:DefaultGuidanceScale"] = "0",
        ["DiffusionFunctions:Models:turbo:DefaultScheduler"] = "euler-ancestral",
    };

    private static string ShapesQueue(ApiTestHost host) => host.Names.GenerationQueue + "-shapes";

    private static string TurboQueue(ApiTestHost host) => host.Names.GenerationQueue + "-turbo";

    [Fact]
    public async Task A_job_naming_a_model_lands_on_that_models_queue_and_shows_the_model()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, TwoModels());

        var resource = Accepted(await SubmitAsync(host, """{"prompt":"a red circle","model":"turbo"}"""));

        var message = Assert.Single(await host.PeekMessagesAsync(TurboQueue(host)));
        Assert.Equal(resource.Id, JsonDocument.Parse(message).RootElement.GetProperty("jobId").GetString());
        Assert.Empty(await host.PeekMessagesAsync(ShapesQueue(host)));
        Assert.Empty(await host.PeekGenerationMessagesAsync());
        Assert.Equal("turbo", resource.Parameters.Model);
        Assert.Equal("turbo", resource.Model);
        Assert.Equal("turbo", (await host.Jobs.GetAsync(resource.Id))!.Parameters.Model);
        // The model's pinned defaults, not the deployment's.
        Assert.Equal((512, 512, 1, 0.0, "euler-ancestral"), (resource.Parameters.Width, resource.Parameters.Height, resource.Parameters.Steps, resource.Parameters.GuidanceScale, resource.Parameters.Scheduler));
    }

    [Fact]
    public async Task A_job_without_a_model_lands_on_the_default_models_queue()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, TwoModels());

        var resource = Accepted(await SubmitAsync(host, """{"prompt":"a red circle"}"""));

        var message = Assert.Single(await host.PeekMessagesAsync(ShapesQueue(host)));
        Assert.Contains(resource.Id, message, StringComparison.Ordinal);
        Assert.Empty(await host.PeekMessagesAsync(TurboQueue(host)));
        Assert.Equal("shapes", resource.Parameters.Model);
    }

    [Fact]
    public async Task Model_names_are_matched_without_regard_to_case()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, TwoModels());

        var resource = Accepted(await SubmitAsync(host, """{"prompt":"a red circle","model":"TURBO"}"""));

        Assert.Single(await host.PeekMessagesAsync(TurboQueue(host)));
        Assert.Equal("turbo", resource.Parameters.Model);
    }

    [Fact]
    public async Task An_unknown_model_is_a_400_problem_naming_the_known_models_and_nothing_is_stored()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, TwoModels());

        var result = await SubmitAsync(host, """{"prompt":"a red circle","model":"sdxl"}""");

        var problem = ProblemAssert.Validation(result, "model");
        Assert.Contains("'sdxl' is unknown", problem.Errors["model"][0], StringComparison.Ordinal);
        Assert.Contains("shapes, turbo", problem.Errors["model"][0], StringComparison.Ordinal);
        Assert.Equal(["shapes", "turbo"], Assert.IsAssignableFrom<IReadOnlyList<string>>(problem.Extensions["models"]));
        Assert.Empty(await host.ListBlobsAsync(host.JobsContainer));
        Assert.Empty(await host.PeekMessagesAsync(ShapesQueue(host)));
        Assert.Empty(await host.PeekMessagesAsync(TurboQueue(host)));
    }

    [Theory]
    [InlineData("""{"prompt":"a red circle","model":"turbo","steps":8}""", "steps", "steps must be between 1 and 4, got 8.")]
    [InlineData("""{"prompt":"a red circle","model":"turbo","width":64,"height":64}""", "width", "width must be between 128 and 512, got 64.")]
    [InlineData("""{"prompt":"a red circle","width":512,"height":64}""", "width", "width must be between 64 and 256, got 512.")]
    public async Task Each_models_size_and_steps_ranges_are_enforced_by_the_api(string body, string field, string message)
    {
        await using var host = await ApiTestHost.StartAsync(azurite, TwoModels());

        var problem = ProblemAssert.Validation(await SubmitAsync(host, body), field);

        Assert.Equal(message, problem.Errors[field][0]);
        Assert.Empty(await host.ListBlobsAsync(host.JobsContainer));
    }

    [Fact]
    public async Task What_one_model_refuses_another_accepts()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, TwoModels());

        Accepted(await SubmitAsync(host, """{"prompt":"a red circle","steps":8,"width":64,"height":64}"""));
        Accepted(await SubmitAsync(host, """{"prompt":"a red circle","model":"turbo","width":512,"height":512}"""));
    }

    [Fact]
    public async Task A_mode_the_model_does_not_support_is_refused_naming_the_modes_it_does()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, TwoModels());
        var png = Convert.ToBase64String(TestImages.Png(8, 8));

        var refused = ProblemAssert.Validation(
            await SubmitAsync(host, $$"""{"prompt":"a red circle","model":"turbo","mode":"inpaint","initImage":"{{png}}","mask":"{{png}}"}"""), "mode");
        var accepted = await SubmitAsync(host, $$"""{"prompt":"a red circle","mode":"inpaint","initImage":"{{png}}","mask":"{{png}}"}""");

        Assert.Equal("Model 'turbo' does not support mode inpaint; it supports: txt2img, img2img.", refused.Errors["mode"][0]);
        Accepted(accepted);
    }

    [Fact]
    public async Task Get_models_lists_every_model_default_first_with_its_defaults_sizes_and_modes()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, TwoModels());

        var models = Assert.IsType<ModelsResource>(Assert.IsType<OkObjectResult>(
            host.Create<GetModelsFunction>().GetModels(HttpRequestBuilder.Get("/api/models").Build())).Value).Models;

        Assert.Equal(["shapes", "turbo"], models.Select(m => m.Name));
        var shapes = models[0];
        Assert.True(shapes.IsDefault);
        Assert.Equal("sd15", shapes.Family);
        Assert.Equal(new ModelDefaultsResource(64, 64, 25, 2.5, "ddim"), shapes.Defaults); // from the folder
        Assert.Equal(new ModelLimitsResource(64, 256, 8, 1, 150, 0, 30, 4), shapes.Limits);
        Assert.Equal(["txt2img", "img2img", "inpaint"], shapes.Modes);
        Assert.Contains("star", shapes.Vocabulary!);
        var turbo = models[1];
        Assert.False(turbo.IsDefault);
        Assert.Equal("sd-turbo", turbo.Family);
        Assert.Equal(new ModelDefaultsResource(512, 512, 1, 0, "euler-ancestral"), turbo.Defaults);
        Assert.Equal(new ModelLimitsResource(128, 512, 8, 1, 4, 0, 30, 4), turbo.Limits);
        Assert.Equal(["txt2img", "img2img"], turbo.Modes);
        Assert.Null(turbo.Vocabulary);
    }

    [Fact]
    public async Task Prompt_word_warnings_follow_the_jobs_model()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, TwoModels());

        var shapes = Accepted(await SubmitAsync(host, """{"prompt":"a red fox"}"""));
        var turbo = Accepted(await SubmitAsync(host, """{"prompt":"a red fox","model":"turbo"}"""));

        Assert.Contains(shapes.Warnings, w => w.Contains("'fox'", StringComparison.Ordinal));
        Assert.Empty(turbo.Warnings); // turbo publishes no vocabulary
    }

    [Fact]
    public async Task Without_a_list_a_request_may_name_the_one_served_model_and_no_other()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        Accepted(await SubmitAsync(host, """{"prompt":"a red circle","model":"tiny-shapes"}"""));
        var problem = ProblemAssert.Validation(await SubmitAsync(host, """{"prompt":"a red circle","model":"sd15"}"""), "model");

        Assert.Equal("model 'sd15' is unknown; this deployment serves: tiny-shapes.", problem.Errors["model"][0]);
        Assert.Single(await host.PeekGenerationMessagesAsync()); // the one-model deployment's queue, as before
    }

    [Theory]
    [InlineData("DiffusionFunctions:DefaultModel", null, "DiffusionFunctions:DefaultModel is required when DiffusionFunctions:Models lists several models (shapes, turbo)")]
    [InlineData("DiffusionFunctions:DefaultModel", "sdxl", "DiffusionFunctions:DefaultModel 'sdxl' is not one of DiffusionFunctions:Models (shapes, turbo).")]
    [InlineData("DiffusionFunctions:Models:turbo:DefaultScheduler", null, "set DiffusionFunctions:Models:turbo:DefaultScheduler.")]
    [InlineData("DiffusionFunctions:Models:turbo:DefaultSteps", "9", "DiffusionFunctions:Models:turbo:DefaultSteps must be between 1 and 4, got 9.")]
    [InlineData("DiffusionFunctions:Models:turbo:Modes", "txt2img,outpaint", "DiffusionFunctions:Models:turbo:Modes names 'outpaint'")]
    [InlineData("DiffusionFunctions:Models:turbo:Queue", "SHOUTING", "DiffusionFunctions:Models:turbo:Queue 'SHOUTING' must be a valid queue name")]
    [InlineData("DiffusionFunctions:Models:shapes:Path", "models/no-such-model", "DiffusionFunctions:Models:shapes:Path:")]
    public async Task A_bad_model_list_fails_start_up_naming_the_setting(string key, string? value, string expected)
    {
        var settings = TwoModels();
        settings[key] = value;
        await using var host = await ApiTestHost.StartAsync(azurite, settings, createResources: false);

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_models_cannot_share_a_queue()
    {
        var settings = TwoModels();
        settings["DiffusionFunctions:Models:turbo:Queue"] = "shared-queue";
        settings["DiffusionFunctions:Models:shapes:Queue"] = "shared-queue";
        await using var host = await ApiTestHost.StartAsync(azurite, settings, createResources: false);

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("'shared-queue' is also the queue of model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_creates_each_models_queue_and_its_poison_queue()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, TwoModels());

        foreach (var queue in new[] { ShapesQueue(host), TurboQueue(host) })
        {
            Assert.True(await host.Azurite.QueueService.GetQueueClient(queue).ExistsAsync(), queue);
            Assert.True(await host.Azurite.QueueService.GetQueueClient(queue + "-poison").ExistsAsync(), queue + "-poison");
        }
    }

    private static GenerationResource Accepted(IActionResult result)
        => Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(result).Value);

    private static Task<IActionResult> SubmitAsync(ApiTestHost host, string json)
        => host.Create<SubmitGenerationFunction>().SubmitGeneration(HttpRequestBuilder.Post(Path).WithJson(json).Build(), CancellationToken.None);
}
