using Azure.Messaging;
using Azure.Storage.Queues;
using DiffusionFunctions.Cli.Commands;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.LocalRunner;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Spectre.Console;

namespace DiffusionFunctions.Worker.Tests.Logos;

/// <summary>
/// The local path of logos on upload, as a user runs it: the in-process function host (what <c>run-local.sh</c> starts,
/// with its upload watcher standing in for Event Grid) and <c>dfx logo upload</c>, which also enqueues the BlobCreated
/// event. Both put the same Event Grid-schema message on the logo events queue; the run still happens once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DfxLogoUploadTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Dfx_logo_upload_on_the_local_run_makes_one_run_with_its_logos_manifest_and_event()
    {
        var names = azurite.CreateNames();
        var settings = await LocalRunTestSettings.CreateAsync(names);
        var folder = Directory.CreateTempSubdirectory("dfx-logo-test-");
        try
        {
            var brief = Path.Combine(folder.FullName, "brief.json");
            await File.WriteAllTextAsync(brief, """{"brand":"Acme","colors":["red","white"],"shapes":["star"],"count":2,"seed":4,"width":64,"height":64,"steps":2}""");
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await using var apps = await InProcessFunctionHost.StartAsync(settings, timeout.Token);

            var (exitCode, text, error) = await RunDfxAsync(timeout.Token,
                "logo", "upload", brief, "--name", "acme.json", "--connection", azurite.ConnectionString,
                "--container", names.LogoRequestsContainer, "--queue", names.LogoEventsQueue);
            Assert.True(exitCode == 0, error);
            Assert.Contains($"uploaded {names.LogoRequestsContainer}/acme.json", text, StringComparison.Ordinal);
            Assert.Contains("enqueued BlobCreated event", text, StringComparison.Ordinal);
            Assert.Contains("logos/acme/manifest.json", text, StringComparison.Ordinal);

            var events = azurite.QueueService.GetQueueClient(names.EventsQueue);
            var results = azurite.BlobService.GetBlobContainerClient(names.ResultsContainer);
            // The watcher's event and dfx's event are the same upload: once both are handled (the queue's count includes
            // messages being processed), there is one run, one event, two logos.
            var logoEvents = azurite.QueueService.GetQueueClient(names.LogoEventsQueue);
            while ((await WorkflowEventsAsync(events)).Count == 0 || (await logoEvents.GetPropertiesAsync(timeout.Token)).Value.ApproximateMessagesCount > 0)
            {
                await Task.Delay(100, timeout.Token);
            }

            Assert.Equal(WorkflowEventTypes.Completed, Assert.Single(await WorkflowEventsAsync(events)).Type);
            Assert.True(await results.GetBlobClient("logos/acme/manifest.json").ExistsAsync(timeout.Token));
            Assert.True(await results.GetBlobClient("logos/acme/1.png").ExistsAsync(timeout.Token));

            (exitCode, _, error) = await RunDfxAsync(timeout.Token, "logo", "upload", Path.Combine(folder.FullName, "notes.txt"));
            Assert.Equal(2, exitCode);
            Assert.Contains("neither a .json brief nor a .png", error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<List<CloudEvent>> WorkflowEventsAsync(QueueClient events)
    {
        var peeked = await events.PeekMessagesAsync(maxMessages: 32);
        return [.. peeked.Value.Select(m => CloudEvent.Parse(m.Body)!).Where(e => e.Type is WorkflowEventTypes.Completed or WorkflowEventTypes.Failed)];
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunDfxAsync(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        var error = new StringWriter();
        var exitCode = await DfxApplication.RunAsync(args, console, error, cancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
