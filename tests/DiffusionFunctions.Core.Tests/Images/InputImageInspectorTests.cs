using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Images;
using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Tests.Images;

public sealed class InputImageInspectorTests
{
    private static readonly InputImageInspector Inspector = new(Options.Create(new GenerationOptions
    {
        MaxInputImageBytes = 4096,
        MaxInputImagePixels = 64 * 64,
    }));

    [Fact]
    public void Valid_png_is_accepted_with_its_header()
    {
        var png = TestImages.Png(8, 8);

        var result = Inspector.InspectBase64("initImage", Convert.ToBase64String(png));

        Assert.Null(result.Error);
        Assert.Equal(png, result.Image!.Content.ToArray());
        Assert.Equal(new ImageHeader(InputImageFormat.Png, 8, 8), result.Image.Header);
    }

    [Fact]
    public void Data_url_prefix_is_accepted()
    {
        var result = Inspector.InspectBase64("mask", "data:image/png;base64," + Convert.ToBase64String(TestImages.Png(8, 8)));

        Assert.Equal(8, result.Image!.Header.Width);
    }

    [Fact]
    public void Oversized_base64_is_refused_from_its_length_before_decoding()
    {
        // Not valid base64 at all: only the length check can produce TooLarge here, proving it runs before decoding.
        var result = Inspector.InspectBase64("initImage", new string('*', 8000));

        Assert.Equal(InputImageErrorKind.TooLarge, result.Error!.Kind);
        Assert.Contains("4096", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not*base64", InputImageErrorKind.InvalidEncoding)]
    [InlineData("", InputImageErrorKind.InvalidEncoding)]
    [InlineData("data:image/png,AAAA", InputImageErrorKind.InvalidEncoding)]
    public void Bad_encodings_are_invalid(string base64, InputImageErrorKind kind)
        => Assert.Equal(kind, Inspector.InspectBase64("initImage", base64).Error!.Kind);

    [Fact]
    public void Unsupported_type_corrupt_header_and_too_many_pixels_are_told_apart()
    {
        var png = TestImages.Png(8, 8);

        Assert.Equal(InputImageErrorKind.UnsupportedType, Inspector.Inspect("initImage", TestImages.Gif()).Error!.Kind);
        Assert.Equal(InputImageErrorKind.Corrupt, Inspector.Inspect("initImage", png.AsMemory(0, 20)).Error!.Kind);
        var huge = Inspector.Inspect("mask", TestImages.WithPngSize(png, 65, 64)).Error!;
        Assert.Equal(InputImageErrorKind.TooLarge, huge.Kind);
        Assert.StartsWith("mask is 65x64 = 4160 pixels", huge.Message, StringComparison.Ordinal);
        Assert.Null(Inspector.Inspect("mask", TestImages.WithPngSize(png, 64, 64)).Error);
    }

    [Fact]
    public void Raw_bytes_over_the_limit_are_too_large()
    {
        var result = Inspector.Inspect("initImage", new byte[4097]);

        Assert.Equal(InputImageErrorKind.TooLarge, result.Error!.Kind);
    }
}
