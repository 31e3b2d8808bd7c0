using System.Text.RegularExpressions;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Worker.Tests;

/// <summary>
/// <c>DiffusionFunctions:Engine:RequireGpu</c>: a GPU-priced worker must not quietly run on the CPU. On this CPU-only
/// machine the CUDA provider cannot load, so the worker must fail at start-up, naming the library that is missing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RequireGpuTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task With_RequireGpu_a_worker_without_cuda_refuses_to_start_naming_the_missing_library()
    {
        var error = await Assert.ThrowsAsync<GpuUnavailableException>(() => WorkerTestHost.StartAsync(azurite, new()
        {
            ["DiffusionFunctions:Engine:Provider"] = "Auto",
            ["DiffusionFunctions:Engine:RequireGpu"] = "true",
        }));

        Assert.StartsWith("DiffusionFunctions:Engine:RequireGpu is on, but the CUDA execution provider (device 0) could not be loaded: ", error.Message, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"lib[\w.+-]+\.so(\.\d+)* could not be loaded \(needed by libonnxruntime_providers_cuda\.so: cannot open shared object file"), error.Message);
    }

    [Fact]
    public async Task Without_RequireGpu_the_same_worker_starts_on_the_cpu()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite, new() { ["DiffusionFunctions:Engine:Provider"] = "Auto" });

        Assert.Equal(ExecutionProviderKind.Cpu, host.Services.GetRequiredService<Engine.DiffusionModelHost>().Model.ExecutionProvider);
    }
}
