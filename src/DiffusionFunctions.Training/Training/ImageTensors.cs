using DiffusionFunctions.Training.Shapes;
using static TorchSharp.torch;

namespace DiffusionFunctions.Training.Training;

/// <summary>Renders scenes into NCHW float tensors in [-1, 1] (the VAE's input range).</summary>
internal static class SceneTensors
{
    public static Tensor Images(IReadOnlyList<ShapeScene> scenes)
    {
        const int Pixels = ShapeRenderer.Size * ShapeRenderer.Size;
        var data = new float[scenes.Count * 3 * Pixels];
        Parallel.For(0, scenes.Count, i =>
        {
            var rgb = ShapeRenderer.Render(scenes[i]);
            var offset = i * 3 * Pixels;
            for (var p = 0; p < Pixels; p++)
            {
                for (var c = 0; c < 3; c++)
                {
                    data[offset + (c * Pixels) + p] = (rgb[(3 * p) + c] / 127.5f) - 1f;
                }
            }
        });
        return tensor(data, [scenes.Count, 3, ShapeRenderer.Size, ShapeRenderer.Size]);
    }
}
