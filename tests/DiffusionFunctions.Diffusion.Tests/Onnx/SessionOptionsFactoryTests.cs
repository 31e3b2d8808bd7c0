using DiffusionFunctions.Diffusion.Onnx;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiffusionFunctions.Diffusion.Tests.Onnx;

public sealed class SessionOptionsFactoryTests
{
    private const long TinyShapesUnetBytes = 23_737_434;
    private const long Sd15UnetBytes = 3_438_167_536;

    [Fact]
    public void Automatic_threads_give_small_parts_one_thread_on_cpu_and_leave_large_parts_to_onnx_runtime()
    {
        var factory = SessionOptionsFactory.Create(new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu }, NullLogger.Instance);

        Assert.Equal(1, factory.IntraOpThreadsFor(TinyShapesUnetBytes));
        Assert.Equal(1, factory.IntraOpThreadsFor(SessionOptionsFactory.SmallModelBytes - 1));
        Assert.Equal(0, factory.IntraOpThreadsFor(SessionOptionsFactory.SmallModelBytes));
        Assert.Equal(0, factory.IntraOpThreadsFor(Sd15UnetBytes));
        using var options = factory.CreateSessionOptions(TinyShapesUnetBytes);
        Assert.Equal(1, options.IntraOpNumThreads);
    }

    [Fact]
    public void A_configured_thread_count_wins_for_every_part()
    {
        var factory = SessionOptionsFactory.Create(new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = 3 }, NullLogger.Instance);

        Assert.Equal(3, factory.IntraOpThreadsFor(TinyShapesUnetBytes));
        Assert.Equal(3, factory.IntraOpThreadsFor(Sd15UnetBytes));
    }
}
