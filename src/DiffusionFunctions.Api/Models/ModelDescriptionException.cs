namespace DiffusionFunctions.Api.Models;

/// <summary>The model folder the API describes cannot be read (missing <c>model_index.json</c>, invalid JSON).</summary>
public sealed class ModelDescriptionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelDescriptionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelDescriptionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelDescriptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
