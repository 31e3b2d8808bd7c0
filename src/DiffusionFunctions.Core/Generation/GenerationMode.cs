using System.Text.Json.Serialization;

namespace DiffusionFunctions.Core.Generation;

/// <summary>What kind of generation a job runs.</summary>
public enum GenerationMode
{
    /// <summary>Text to image: no init image.</summary>
    [JsonStringEnumMemberName("txt2img")]
    TextToImage,

    /// <summary>Image to image: starts from <c>initImage</c>, noised by <c>strength</c>.</summary>
    [JsonStringEnumMemberName("img2img")]
    ImageToImage,

    /// <summary>Inpainting: repaints the white area of <c>mask</c> on <c>initImage</c>.</summary>
    [JsonStringEnumMemberName("inpaint")]
    Inpaint,
}

/// <summary>The wire names of <see cref="GenerationMode"/>.</summary>
public static class GenerationModeNames
{
    /// <summary><see cref="GenerationMode.TextToImage"/>.</summary>
    public const string TextToImage = "txt2img";

    /// <summary><see cref="GenerationMode.ImageToImage"/>.</summary>
    public const string ImageToImage = "img2img";

    /// <summary><see cref="GenerationMode.Inpaint"/>.</summary>
    public const string Inpaint = "inpaint";

    /// <summary>Every accepted name, in documentation order.</summary>
    public static IReadOnlyList<string> All { get; } = [TextToImage, ImageToImage, Inpaint];

    /// <summary>Parses a wire name (exact, lowercase).</summary>
    public static bool TryParse(string? name, out GenerationMode mode)
    {
        switch (name)
        {
            case TextToImage: mode = GenerationMode.TextToImage; return true;
            case ImageToImage: mode = GenerationMode.ImageToImage; return true;
            case Inpaint: mode = GenerationMode.Inpaint; return true;
            default: mode = default; return false;
        }
    }

    /// <summary>The wire name of <paramref name="mode"/>.</summary>
    public static string ToName(GenerationMode mode) => mode switch
    {
        GenerationMode.TextToImage => TextToImage,
        GenerationMode.ImageToImage => ImageToImage,
        GenerationMode.Inpaint => Inpaint,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown generation mode."),
    };
}
