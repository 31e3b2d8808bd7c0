namespace DiffusionFunctions.ModelGeneration.Weights;

/// <summary>
/// Supplies the values of each parameter an architecture builder declares, in PyTorch layout and float32.
/// Random initialisation is one provider (<see cref="SeededRandomWeightProvider"/>); trained weights loaded from a
/// checkpoint can be another, dropped into the same builders.
/// </summary>
public interface IWeightProvider
{
    /// <summary>Returns exactly <see cref="ParameterSpec.ElementCount"/> values for the parameter, row-major in its PyTorch shape.</summary>
    float[] GetWeights(ParameterSpec parameter);
}
