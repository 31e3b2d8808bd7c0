using System.Text;
using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Core.Tests.Generation;

public sealed class GenerationRequestJsonReaderTests
{
    private static GenerationRequestReadResult Read(string json, bool allowImages = true)
        => GenerationRequestJsonReader.Read(Encoding.UTF8.GetBytes(json), allowImages);

    [Fact]
    public void Reads_every_field()
    {
        var result = Read("""
            {"prompt":"p","negativePrompt":"n","width":640,"height":384,"steps":25,"guidanceScale":6.5,"seed":4294967295,
             "scheduler":"ddim","count":2,"mode":"img2img","initImage":"AAA=","mask":null,"strength":0.5,"callbackUrl":"https://x.test/h"}
            """);

        Assert.True(result.Errors.IsEmpty, result.Errors.Summarize());
        Assert.Equal(new GenerationRequest
        {
            Prompt = "p", NegativePrompt = "n", Width = 640, Height = 384, Steps = 25, GuidanceScale = 6.5, Seed = 4294967295,
            Scheduler = "ddim", Count = 2, Mode = "img2img", InitImage = "AAA=", Mask = null, Strength = 0.5, CallbackUrl = "https://x.test/h",
        }, result.Request);
    }

    [Theory]
    [InlineData("""{"prompt":"p",""", "body", true)]
    [InlineData("""{"prompt":"p"} trailing""", "body", true)]
    [InlineData("""{"prompt":"p",}""", "body", true)]
    [InlineData("""{/*c*/"prompt":"p"}""", "body", true)]
    [InlineData("42", "body", true)]
    [InlineData("""{"Prompt":"p"}""", "Prompt", false)]
    [InlineData("""{"prompt":"p","prompt":"q"}""", "prompt", false)]
    [InlineData("""{"prompt":1}""", "prompt", false)]
    [InlineData("""{"prompt":"p","width":512.5}""", "width", false)]
    [InlineData("""{"prompt":"p","width":3000000000}""", "width", false)]
    [InlineData("""{"prompt":"p","guidanceScale":"7"}""", "guidanceScale", false)]
    [InlineData("""{"prompt":"p","seed":1.5}""", "seed", false)]
    [InlineData("""{"prompt":"p","count":true}""", "count", false)]
    [InlineData("""{"prompt":"p","mode":["img2img"]}""", "mode", false)]
    public void Shape_errors_name_the_field(string json, string field, bool malformed)
    {
        var result = Read(json);

        Assert.Null(result.Request);
        Assert.Equal(malformed, result.IsMalformed);
        Assert.Contains(field, result.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Images_inside_the_json_part_of_a_multipart_body_are_refused()
    {
        var result = Read("""{"prompt":"p","initImage":"AAA="}""", allowImages: false);

        Assert.Equal(["initImage"], result.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Field_names_match_the_request_properties()
    {
        var properties = typeof(GenerationRequest).GetProperties()
            .Where(p => p.Name != "EqualityContract")
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]);

        Assert.Equal(properties.Order(StringComparer.Ordinal), GenerationRequestJsonReader.FieldNames.Order(StringComparer.Ordinal));
    }
}
