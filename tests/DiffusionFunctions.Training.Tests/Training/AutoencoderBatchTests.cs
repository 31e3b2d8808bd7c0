using DiffusionFunctions.Training.Networks;
using DiffusionFunctions.Training.Training;
using static TorchSharp.torch;

namespace DiffusionFunctions.Training.Tests.Training;

/// <summary>
/// The autoencoder's training batches are laid out channels-last for speed; the layout must change nothing else: the
/// same images picked by the same seeded draw, NCHW shape, channel stride 1.
/// </summary>
public sealed class AutoencoderBatchTests
{
    [Fact]
    public void Batch_holds_the_drawn_images_with_channels_last_strides()
    {
        TorchNativeSetup.EnsureLoadable();
        using var images = arange(10 * 3 * 4 * 4, dtype: ScalarType.Float32).reshape(10, 3, 4, 4);

        manual_seed(5);
        using var expectedIndex = randint(10, [6], dtype: ScalarType.Int64);
        using var expected = images.index_select(0, expectedIndex);
        manual_seed(5);
        using var batch = AutoencoderTrainer.Batch(images, 6);

        Assert.Equal(new long[] { 6, 3, 4, 4 }, batch.shape);
        Assert.Equal(new long[] { 48, 1, 12, 3 }, batch.stride());
        Assert.True(batch.eq(expected).all().item<bool>(), "the channels-last batch differs from the NCHW one");
    }
}
