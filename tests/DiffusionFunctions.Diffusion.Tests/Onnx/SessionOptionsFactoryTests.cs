using DiffusionFunctions.Diffusion.Onnx;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiffusionFunctions.Diffusion.Tests.Onnx;

public sealed class SessionOptionsFactoryTests
{
    private const long TinyShapesUnetBytes = 23_737_434;
    private const long Sd15UnetBytes = 3_438_167_536;

    [Fact]
    public void Automatic_threads_give_small_parts_one_thread_on_cpu_and_large_parts_every_processor_the_process_may_use()
    {
        var factory = SessionOptionsFactory.Create(new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu }, NullLogger.Instance);

        Assert.Equal(1, factory.IntraOpThreadsFor(TinyShapesUnetBytes));
        Assert.Equal(1, factory.IntraOpThreadsFor(SessionOptionsFactory.SmallModelBytes - 1));
        Assert.Equal(Environment.ProcessorCount, factory.IntraOpThreadsFor(SessionOptionsFactory.SmallModelBytes));
        Assert.Equal(Environment.ProcessorCount, factory.IntraOpThreadsFor(Sd15UnetBytes));
        using var small = factory.CreateSessionOptions(TinyShapesUnetBytes);
        Assert.Equal(1, small.IntraOpNumThreads);
        using var large = factory.CreateSessionOptions(Sd15UnetBytes);
        Assert.Equal(Environment.ProcessorCount, large.IntraOpNumThreads);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(6)]
    public void Large_parts_follow_the_processor_count_not_the_physical_cores(int processorCount)
    {
        // A 2-vCPU VM reports one physical core to ONNX Runtime, whose own default then ran SD 1.5 on one thread.
        var factory = SessionOptionsFactory.Create(new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu }, NullLogger.Instance, processorCount);

        Assert.Equal(processorCount, factory.IntraOpThreadsFor(Sd15UnetBytes));
        Assert.Equal(1, factory.IntraOpThreadsFor(TinyShapesUnetBytes));
    }

    [Fact]
    public void A_configured_thread_count_wins_for_every_part()
    {
        var factory = SessionOptionsFactory.Create(new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = 3 }, NullLogger.Instance);

        Assert.Equal(3, factory.IntraOpThreadsFor(TinyShapesUnetBytes));
        Assert.Equal(3, factory.IntraOpThreadsFor(Sd15UnetBytes));
        var onSixProcessors = SessionOptionsFactory.Create(new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = 1 }, NullLogger.Instance, 6);
        Assert.Equal(1, onSixProcessors.IntraOpThreadsFor(Sd15UnetBytes));
    }
}
