using DiffusionFunctions.Diffusion.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace DiffusionFunctions.Diffusion.Tests.Onnx;

public sealed class OrtNativeLogMuteTests
{
    [Fact]
    public void The_native_log_is_fatal_only_inside_nested_mutes_and_restored_after_the_last()
    {
        var env = OrtEnv.Instance();
        var before = env.EnvLogLevel;

        var outer = OrtNativeLogMute.Begin();
        var inner = OrtNativeLogMute.Begin();
        Assert.Equal(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, env.EnvLogLevel);
        inner.Dispose();
        Assert.Equal(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, env.EnvLogLevel);
        outer.Dispose();

        Assert.Equal(before, env.EnvLogLevel);
    }

    [Fact]
    public void Probing_for_cuda_leaves_the_native_log_level_as_it_was()
    {
        var before = OrtEnv.Instance().EnvLogLevel;

        _ = SessionOptionsFactory.Create(new DiffusionEngineOptions { Provider = ExecutionProviderKind.Auto }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.Equal(before, OrtEnv.Instance().EnvLogLevel);
    }
}
