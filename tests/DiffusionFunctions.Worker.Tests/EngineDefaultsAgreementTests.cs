using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Worker.Tests;

/// <summary>
/// The API describes a model's defaults without the engine (<see cref="EngineDefaults"/>, <see cref="SchedulerNames.ForDiffusersClass"/>);
/// these keep that description equal to what the engine does.
/// </summary>
public sealed class EngineDefaultsAgreementTests
{
    public static TheoryData<string> ClassNames => [.. SchedulerFactory.SupportedClassNames];

    [Theory]
    [MemberData(nameof(ClassNames))]
    public void The_api_names_the_same_default_scheduler_as_the_engine(string className)
    {
        foreach (var karras in new[] { false, true })
        {
            var config = new SchedulerConfig { ClassName = className, UseKarrasSigmas = karras };
            Assert.Equal(SchedulerFactory.DefaultNameFor(config), SchedulerNames.ForDiffusersClass(className, karras));
        }
    }

    [Fact]
    public void The_api_knows_the_engines_default_steps()
    {
        Assert.Equal(GenerationSettings.DefaultSteps, EngineDefaults.Steps);
        Assert.Equal(EngineDefaults.Steps, new GenerationSettings { Prompt = "x" }.Steps);
    }
}
