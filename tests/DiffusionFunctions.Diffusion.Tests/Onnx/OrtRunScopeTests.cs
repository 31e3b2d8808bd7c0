using DiffusionFunctions.Diffusion.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace DiffusionFunctions.Diffusion.Tests.Onnx;

public sealed class OrtRunScopeTests
{
    [Fact]
    public void Cancelling_the_token_sets_terminate_on_the_run_options()
    {
        using var cancellation = new CancellationTokenSource();
        using var scope = new OrtRunScope(cancellation.Token);
        Assert.False(scope.Options.Terminate);

        cancellation.Cancel();

        Assert.True(scope.Options.Terminate);
        Assert.Throws<OperationCanceledException>(() => scope.Invoke(_ => 1));
    }

    [Fact]
    public async Task A_real_run_ended_by_terminate_surfaces_as_cancellation()
    {
        using var model = StableDiffusionModel.Load(await ModelFolders.TinyAsync(), new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu });
        using var ids = OrtValue.CreateTensorValueFromMemory(model.Tokenizer.Encode("a cat").Ids, [1, 77]);
        using var cancellation = new CancellationTokenSource();
        using var scope = new OrtRunScope(cancellation.Token);

        var error = Assert.Throws<OperationCanceledException>(() => scope.Invoke(options =>
        {
            cancellation.Cancel(); // as if cancelled while the run is in flight: ONNX Runtime sees the terminate flag
            return model.TextEncoder.Part.Session.Run(options, ["input_ids"], [ids], ["last_hidden_state"]);
        }));

        Assert.IsType<OnnxRuntimeException>(error.InnerException);
        Assert.Equal(cancellation.Token, error.CancellationToken);
    }
}
