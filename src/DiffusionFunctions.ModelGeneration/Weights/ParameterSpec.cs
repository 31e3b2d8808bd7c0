namespace DiffusionFunctions.ModelGeneration.Weights;

/// <summary>
/// One learnable tensor of an architecture, named and shaped as in the PyTorch/diffusers state dict
/// (for example <c>down_blocks.0.resnets.0.conv1.weight</c>, <c>[320, 320, 3, 3]</c>; a linear weight is
/// <c>[out, in]</c>). The graph builder converts the layout to what the ONNX graph needs.
/// </summary>
/// <param name="Component">The model folder component, such as <c>unet</c> or <c>text_encoder</c>.</param>
/// <param name="Name">The state-dict name inside the component.</param>
/// <param name="Shape">The PyTorch shape.</param>
/// <param name="Init">How a random provider should draw the values (ignored by providers of trained weights).</param>
public sealed record ParameterSpec(string Component, string Name, IReadOnlyList<long> Shape, WeightInit Init)
{
    /// <summary>The number of elements (the product of <see cref="Shape"/>).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var d in Shape)
            {
                count *= d;
            }

            return count;
        }
    }
}
