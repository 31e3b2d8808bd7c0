namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>A user's image was refused: too large, not PNG/JPEG/WebP, or undecodable. The message says which.</summary>
public sealed class InvalidImageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidImageException()
    {
    }

    /// <summary>Creates the exception with a message naming the problem.</summary>
    public InvalidImageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    public InvalidImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
