namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// A model folder does not fit the diffusers/Optimum ONNX layout: a file is missing or unreadable, or a model lacks a tensor
/// or has one of the wrong element type or rank. The message names the file and the tensor.
/// </summary>
public sealed class ModelFolderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelFolderException()
    {
    }

    /// <summary>Creates the exception with a message naming the file and tensor.</summary>
    public ModelFolderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    public ModelFolderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
