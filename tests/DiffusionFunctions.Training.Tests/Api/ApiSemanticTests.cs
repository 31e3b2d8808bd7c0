using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Training.Shapes;
using DiffusionFunctions.Training.Tests.Semantic;
using DiffusionFunctions.Worker.Processing;
using Xunit.Abstractions;

namespace DiffusionFunctions.Training.Tests.Api;

/// <summary>
/// The API check: a PNDM job submitted through the API with no guidance, steps or size on the shipped model runs
/// with the model's defaults (guidance 2.5, 64x64), so it draws the prompted scene by the project's image analyser. Before
/// model-aware defaults the API sent guidance 7.5 and 512x512, and PNDM drew multicoloured noise.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiSemanticTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [TinyShapesModelFact]
    public async Task Pndm_job_through_the_api_on_the_shipped_model_draws_the_prompted_scene()
    {
        await using var host = await ApiWorkerHost.StartAsync(azurite, TinyShapesModelFixture.FolderPath);

        var accepted = await host.SubmitAsync("""{"prompt":"a yellow star on a blue background","scheduler":"pndm","seed":1,"count":4}""");
        Assert.Equal(JobProcessingOutcome.Succeeded, await host.ProcessNextAsync());

        var job = (await host.Jobs.GetAsync(accepted.Id))!;
        Assert.Equal((64, 64, 2.5, "pndm"), (job.Parameters.Width, job.Parameters.Height, job.Parameters.GuidanceScale, job.Parameters.Scheduler));
        var asked = new ShapeScene(ShapeKind.Star, NamedColour.FromName("yellow"), NamedColour.FromName("blue"));
        var tally = new AccuracyTally("API, pndm, model defaults");
        foreach (var blob in job.Results)
        {
            var image = UserImageDecoder.Decode(await host.DownloadResultAsync(blob));
            Assert.Equal((64, 64), (image.Width, image.Height));
            output.WriteLine($"{blob}: {tally.Add(asked, image.Pixels)}");
        }

        Assert.Equal(4, tally.Images);
        Assert.True(tally.AllThree == tally.Images, string.Join("; ", tally.Misses));

        // The control: the same job at the API's old fixed guidance (7.5) is what the issue saw, PNDM falling apart.
        var old = await host.SubmitAsync("""{"prompt":"a yellow star on a blue background","scheduler":"pndm","seed":1,"count":4,"guidanceScale":7.5}""");
        Assert.Equal(JobProcessingOutcome.Succeeded, await host.ProcessNextAsync());
        var control = new AccuracyTally("API, pndm, guidance 7.5");
        foreach (var blob in (await host.Jobs.GetAsync(old.Id))!.Results)
        {
            output.WriteLine($"guidance 7.5, {blob}: {control.Add(asked, UserImageDecoder.Decode(await host.DownloadResultAsync(blob)).Pixels)}");
        }

        Assert.True(control.AllThree < control.Images, "At guidance 7.5 PNDM was expected to miss the scene; the control no longer shows the difference.");
    }
}
