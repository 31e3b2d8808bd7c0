using System.Text;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Logos;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.Core.Problems;
using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Tests.Logos;

/// <summary>
/// Brief reading, prompt templates and planning: the shipped tiny-shapes template speaks the model's grammar, the built-in
/// template makes an SD logo prompt, and refusals carry the API's problem types and field names.
/// </summary>
public sealed class LogoBriefTests
{
    private static readonly string TinyShapesTemplate = Path.Combine(RepositoryPaths.Root, "models", "tiny-shapes", "logo_template.json");

    private static LogoPromptTemplate TinyShapes => LogoPromptTemplate.Parse(File.ReadAllText(TinyShapesTemplate), "tiny-shapes");

    private static LogoPromptTemplate BuiltIn => new LogoPromptTemplateSource(Options.Create(new LogoOptions())).Get(null).Template;

    private static LogoBriefValidator Validator(bool callbacks = true) => new(
        new GenerationRequestValidator(Options.Create(new GenerationOptions { CallbacksEnabled = callbacks })),
        CompiledPromptPolicy.CreateDefault(),
        Options.Create(new LogoOptions()),
        Options.Create(new PromptPolicyOptions()));

    private static LogoBrief Read(string json)
    {
        var read = LogoBriefJsonReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.True(read.Errors.IsEmpty, read.Errors.Summarize());
        return read.Brief!;
    }

    [Fact]
    public void The_issue_brief_gives_tiny_shapes_prompts_in_its_grammar()
    {
        var brief = Read("""{"brand":"Acme","colors":["red","white"],"shapes":["star","heart"],"count":4}""");
        var plan = Validator().Plan(brief, TinyShapes, isSketch: false, defaultSeed: 7);

        Assert.True(plan.IsAccepted, plan.Rejection?.Detail);
        Assert.Equal(
            ["a red star on a white background", "a red heart on a white background", "a red star on a white background", "a red heart on a white background"],
            plan.Items.Select(i => i.Parameters.Prompt));
        Assert.Equal([7L, 8, 9, 10], plan.Items.Select(i => i.Parameters.Seed));
        Assert.All(plan.Items, i => Assert.Equal((1, GenerationMode.TextToImage, (string?)null, (string?)null), (i.Parameters.Count, i.Parameters.Mode, i.Parameters.NegativePrompt, i.Parameters.CallbackUrl)));
    }

    [Fact]
    public void Foreground_colours_and_shapes_combine_and_articles_follow_the_word()
    {
        var brief = Read("""{"brand":"Acme","colors":["orange","blue","yellow"],"shapes":["ring"],"count":3,"seed":4294967295}""");
        var plan = Validator().Plan(brief, TinyShapes, isSketch: false, defaultSeed: 0);

        Assert.Equal(["an orange ring on a yellow background", "a blue ring on a yellow background", "an orange ring on a yellow background"],
            plan.Items.Select(i => i.Parameters.Prompt));
        Assert.Equal([4294967295L, 0, 1], plan.Items.Select(i => i.Parameters.Seed)); // wraps at 2^32
    }

    [Fact]
    public void The_built_in_template_makes_a_flat_vector_logo_prompt_with_a_negative_prompt()
    {
        var brief = Read("""{"brand":"Northwind","tagline":"fresh","style":"retro badge","colors":["green","white"],"motifs":["a leaf"],"count":1}""");
        var plan = Validator().Plan(brief, BuiltIn, isSketch: false, defaultSeed: 1);

        var item = Assert.Single(plan.Items);
        Assert.Equal("flat vector logo of Northwind, a leaf, green and white colour palette, retro badge, plain white background, centred, simple, high contrast",
            item.Parameters.Prompt);
        Assert.Contains("photo", item.Parameters.NegativePrompt, StringComparison.Ordinal);
        Assert.Contains("watermark", item.Parameters.NegativePrompt, StringComparison.Ordinal);
    }

    [Fact]
    public void The_briefs_own_negative_prompt_and_style_default_apply()
    {
        var brief = Read("""{"brand":"Acme","colors":["red"],"count":1,"negativePrompt":"text"}""");
        var item = Assert.Single(Validator().Plan(brief, BuiltIn, isSketch: false, defaultSeed: 1).Items);
        Assert.Equal("text", item.Parameters.NegativePrompt);
        Assert.Contains("minimal, bold geometric shapes", item.Parameters.Prompt, StringComparison.Ordinal);
        Assert.Contains("an abstract emblem", item.Parameters.Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sketch_plan_is_img2img_at_the_default_strength()
    {
        var brief = Read("""{"brand":"Acme","colors":["red","white"],"shapes":["star"],"count":2}""");
        var plan = Validator().Plan(brief, TinyShapes, isSketch: true, defaultSeed: 1);
        Assert.All(plan.Items, i => Assert.Equal((GenerationMode.ImageToImage, (double?)new LogoOptions().SketchStrength), (i.Parameters.Mode, i.Parameters.Strength)));
    }

    [Fact]
    public void A_sketch_without_a_sidecar_needs_no_colours_and_gets_the_templates_defaults()
    {
        var plan = Validator().Plan(new LogoBrief { Brand = "sketch" }, TinyShapes, isSketch: true, defaultSeed: 1);
        Assert.True(plan.IsAccepted, plan.Rejection?.Detail);
        Assert.Equal(4, plan.Items.Count); // DefaultCount
        Assert.Equal("circle on a white background", plan.Items[0].Parameters.Prompt);
        Assert.False(Validator().Plan(new LogoBrief { Brand = "brief" }, TinyShapes, isSketch: false, defaultSeed: 1).IsAccepted);
    }

    [Fact]
    public void A_blocked_term_in_any_free_text_field_is_a_policy_violation_naming_the_field()
    {
        // The tiny-shapes template does not draw the brand, so the prompt alone would pass: the brief's fields are checked too.
        var brief = Read("""{"brand":"Acme gore","colors":["red","white"],"count":1}""");
        var plan = Validator().Plan(brief, TinyShapes, isSketch: false, defaultSeed: 1);

        Assert.False(plan.IsAccepted);
        Assert.Equal((ProblemTypeUris.PolicyViolation, 422, "brand", "violence"), (plan.Rejection!.Type, plan.Rejection.Status, plan.Rejection.Field, plan.Rejection.Category));
        Assert.Null(plan.Rejection.Matches); // RevealMatches=Category, as on HTTP
    }

    [Theory]
    [InlineData("""{"brand":"Acme","colors":["red"],"count":0}""", "count", "count must be between 1 and 16, got 0.")]
    [InlineData("""{"brand":"Acme","colors":["red"],"count":17}""", "count", "count must be between 1 and 16, got 17.")]
    [InlineData("""{"colors":["red"]}""", "brand", "brand must not be blank.")]
    [InlineData("""{"brand":"Acme"}""", "colors", null)]
    [InlineData("""{"brand":"Acme","colors":["red"],"steps":0}""", "steps", "steps must be between 1 and 150, got 0.")]
    [InlineData("""{"brand":"Acme","colors":["red"],"width":65}""", "width", "width must be a multiple of 8, got 65.")]
    [InlineData("""{"brand":"Acme","colors":["red"],"seed":-1}""", "seed", "seed must be between 0 and 4294967295, got -1.")]
    [InlineData("""{"brand":"Acme","colors":["red"],"callbackUrl":"ftp://example.com/x"}""", "callbackUrl", null)]
    [InlineData("""{"brand":"Acme","colors":["red"],"strength":0.5}""", "strength", null)]
    public void Invalid_fields_are_refused_with_the_api_validators_messages(string json, string field, string? message)
    {
        var plan = Validator().Plan(Read(json), TinyShapes, isSketch: false, defaultSeed: 1);

        Assert.False(plan.IsAccepted);
        Assert.Equal((ProblemTypeUris.Validation, 400), (plan.Rejection!.Type, plan.Rejection.Status));
        var errors = plan.Rejection.Errors!;
        Assert.True(errors.ContainsKey(field), string.Join("; ", errors.Keys));
        if (message is not null)
        {
            Assert.Equal(message, errors[field][0]);
        }
    }

    [Fact]
    public void A_callback_url_is_refused_like_the_apis_when_callbacks_are_off()
    {
        var brief = Read("""{"brand":"Acme","colors":["red"],"callbackUrl":"https://example.com/hook"}""");
        var plan = Validator(callbacks: false).Plan(brief, TinyShapes, isSketch: false, defaultSeed: 1);
        Assert.True(plan.Rejection!.Errors!.ContainsKey("callbackUrl"));
        Assert.True(Validator().Plan(brief, TinyShapes, isSketch: false, defaultSeed: 1).IsAccepted);
    }

    [Theory]
    [InlineData("not json", true, "body")]
    [InlineData("[1,2]", true, "body")]
    [InlineData("""{"brand":"Acme","colours":["red"]}""", false, "colours")]
    [InlineData("""{"brand":"Acme","colors":"red"}""", false, "colors")]
    [InlineData("""{"brand":"Acme","colors":["red",3]}""", false, "colors")]
    [InlineData("""{"brand":"Acme","brand":"Other"}""", false, "brand")]
    [InlineData("""{"brand":"Acme","count":"4"}""", false, "count")]
    public void The_reader_names_what_is_wrong(string json, bool malformed, string field)
    {
        var read = LogoBriefJsonReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.Null(read.Brief);
        Assert.Equal(malformed, read.IsMalformed);
        Assert.True(read.Errors.Contains(field), read.Errors.Summarize());
    }

    [Fact]
    public void Template_files_with_unknown_placeholders_or_no_prompt_are_refused()
    {
        Assert.Contains("{brandname}", Assert.Throws<LogoTemplateException>(() => LogoPromptTemplate.Parse("""{"prompt":"logo of {brandname}"}""", "x")).Message, StringComparison.Ordinal);
        Assert.Contains("no 'prompt'", Assert.Throws<LogoTemplateException>(() => LogoPromptTemplate.Parse("""{"negativePrompt":"x"}""", "x")).Message, StringComparison.Ordinal);
        Assert.Throws<LogoTemplateException>(() => LogoPromptTemplate.Parse("""{"prompt":"x","colour":"red"}""", "x"));
    }

    [Fact]
    public void The_deployment_template_wins_over_the_model_folders_and_the_model_folders_over_the_built_in()
    {
        var dir = Directory.CreateTempSubdirectory("logo-template-");
        try
        {
            var own = Path.Combine(dir.FullName, "mine.json");
            File.WriteAllText(own, """{"prompt":"{brand} emblem"}""");
            var modelFolder = Path.GetDirectoryName(TinyShapesTemplate)!;

            var (fromModel, origin) = new LogoPromptTemplateSource(Options.Create(new LogoOptions())).Get(modelFolder);
            Assert.Equal(TinyShapesTemplate, origin);
            Assert.Equal("{a_color} {motif} on {a_background} background", fromModel.Prompt);

            var (deployed, deployedOrigin) = new LogoPromptTemplateSource(Options.Create(new LogoOptions { TemplatePath = own })).Get(modelFolder);
            Assert.Equal((own, "{brand} emblem"), (deployedOrigin, deployed.Prompt));

            Assert.Equal("built-in", new LogoPromptTemplateSource(Options.Create(new LogoOptions())).Get(dir.FullName).Origin);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Options_are_checked_at_start_up_naming_the_setting()
    {
        var result = new LogoOptionsValidator().Validate(null, new LogoOptions { RequestsContainer = "Bad_Name", MaxCount = 0, SketchStrength = 1.5 });
        Assert.True(result.Failed);
        Assert.Contains("DiffusionFunctions:Logos:RequestsContainer", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("DiffusionFunctions:Logos:MaxCount", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("DiffusionFunctions:Logos:SketchStrength", result.FailureMessage, StringComparison.Ordinal);
    }
}
