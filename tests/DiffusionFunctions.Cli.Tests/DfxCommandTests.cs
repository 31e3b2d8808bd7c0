using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Cli.Tests;

public sealed class DfxCommandTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "dfx: error: unknown command 'frobnicate'; commands: generate, contact-sheet, submit, model inspect, model create (see 'dfx --help').")]
    [InlineData(new[] { "model", "frob" }, "dfx: error: unknown model subcommand 'frob'; subcommands: inspect, create (see 'dfx model --help').")]
    [InlineData(new[] { "generate", "--out", "x" }, "dfx: error: option --prompt is required (or --prompts FILE).")]
    [InlineData(new[] { "contact-sheet", "--columns", "0" }, "dfx: error: option --columns must be an integer from 1 to 16, not '0'.")]
    [InlineData(new[] { "contact-sheet", "extra" }, "dfx: error: unexpected argument 'extra' (see 'dfx contact-sheet --help').")]
    [InlineData(new[] { "generate", "--model", "m", "--prompt", "a", "--out", "o", "--steps", "abc" }, "dfx: error: option --steps must be an integer from 1 to 500, not 'abc'.")]
    [InlineData(new[] { "generate", "--model", "m", "--prompt", "a", "--out", "o", "--colour", "red" }, "dfx: error: unknown option --colour; valid options: --prompt, --prompts, --model, --negative, --steps, --scheduler, --seed, --count, --width, --height, --guidance, --init, --strength, --mask, --provider, --out, --overwrite, --json (see 'dfx generate --help').")]
    [InlineData(new[] { "generate", "--model", "/nonexistent/dfx-model", "--prompt", "a", "--out", "o" }, "dfx: error: the model folder '/nonexistent/dfx-model' does not exist.")]
    [InlineData(new[] { "generate", "--model", "m", "--prompt", "a", "--out", "o", "--provider", "tpu" }, "dfx: error: option --provider must be one of auto, cuda, cpu, not 'tpu'.")]
    [InlineData(new[] { "model", "create", "--preset", "huge", "--out", "o" }, "dfx: error: option --preset must be one of tiny, sd15, sdxl-tiny, sdxl, sdxl-refiner-tiny, sdxl-turbo-tiny, lcm-tiny, sd-turbo-tiny, not 'huge'.")]
    [InlineData(new[] { "model", "create", "--preset", "tiny", "--variant", "fp16,fp8", "--out", "o" }, "dfx: error: unknown variant 'fp8'; valid variants: fp16, ids64, t-int64, t-float32, t-float16, t-scalar, vae-sample, inpaint, no-vae-encoder, safety, sd2, external-weights.")]
    [InlineData(new[] { "model", "inspect" }, "dfx: error: dfx model inspect needs one model folder: dfx model inspect DIR [--provider auto|cuda|cpu] [--json].")]
    [InlineData(new[] { "generate", "--prompt", "a", "--json=yes" }, "dfx: error: option --json takes no value.")]
    [InlineData(new[] { "generate", "--prompt", "a", "--prompts", "f" }, "dfx: error: give either --prompt or --prompts FILE, not both.")]
    [InlineData(new[] { "generate", "--prompts", "/nonexistent/prompts.txt" }, "dfx: error: the prompts file '/nonexistent/prompts.txt' does not exist.")]
    [InlineData(new[] { "generate", "--prompt", "a", "--mask", "m.png" }, "dfx: error: option --mask needs --init (the image to inpaint).")]
    public async Task Bad_input_prints_one_error_line_and_exits_2(string[] args, string expected)
    {
        var (exitCode, _, error) = await DfxRunner.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Equal(expected + Environment.NewLine, error);
    }

    [Fact]
    public async Task No_arguments_print_the_command_list_and_exit_2()
    {
        var (exitCode, output, _) = await DfxRunner.RunAsync();
        Assert.Equal(2, exitCode);
        Assert.Contains("usage: dfx COMMAND [options]", output, StringComparison.Ordinal);
        Assert.Contains("  contact-sheet", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_without_model_or_out_uses_the_shipped_model_and_the_current_directory()
    {
        using var output = new TempFolder();
        Directory.CreateDirectory(output.Path);
        var previous = Environment.CurrentDirectory;
        int exitCode;
        string text, error;
        try
        {
            Environment.CurrentDirectory = output.Path;
            (exitCode, text, error) = await DfxRunner.RunAsync("generate", "--prompt", "a yellow star on a blue background", "--seed", "7", "--provider", "cpu");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }

        Assert.True(exitCode == 0, error);
        var file = Path.Combine(output.Path, "a-yellow-star-on-a-blue-background-7.png");
        Assert.True(File.Exists(file), text);
        var parameters = PngImageEncoder.ReadParameters(await File.ReadAllBytesAsync(file));
        Assert.Equal(("a yellow star on a blue background", "tiny-shapes", 64, 64), (parameters!.Prompt, parameters.Model, parameters.Width, parameters.Height));
    }

    [Fact]
    public async Task Contact_sheet_writes_one_captioned_tile_per_prompt()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path);
        var prompts = Path.Combine(folder.Path, "prompts.txt");
        await File.WriteAllLinesAsync(prompts, ["a red circle on a white background", "", "a blue square on a yellow background", "a green star on a black background"]);
        var sheet = Path.Combine(folder.Path, "sheet.png");

        var (exitCode, text, error) = await DfxRunner.RunAsync(
            "contact-sheet", "--prompts", prompts, "--steps", "3", "--columns", "2", "--provider", "cpu", "--out", sheet);

        Assert.True(exitCode == 0, error);
        Assert.Contains("(3 images, model ", text, StringComparison.Ordinal);
        Assert.Contains("a blue square on a yellow background (seed 1,", text, StringComparison.Ordinal);
        var png = await File.ReadAllBytesAsync(sheet);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

        // Two columns of 128-pixel tiles (2x) with 8-pixel padding; two rows of tile + 46-pixel caption band.
        static int BigEndian(byte[] b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
        Assert.Equal((8 + (2 * (128 + 8)), 8 + (2 * (128 + 46 + 8))), (BigEndian(png, 16), BigEndian(png, 20)));
    }

    [Fact]
    public async Task Generate_writes_pngs_and_prints_their_paths_and_the_seed()
    {
        var model = await GeneratedModelCache.GetTinyAsync();
        using var output = new TempFolder();

        var (exitCode, text, error) = await DfxRunner.RunAsync(
            "generate", "--model", model, "--prompt", "a (red) car", "--steps", "2", "--seed", "5", "--count", "2",
            "--width", "64", "--height", "72", "--scheduler", "euler-ancestral", "--provider", "cpu", "--out", output.Path);

        Assert.True(exitCode == 0, error);
        Assert.Equal("", error);
        var files = Directory.GetFiles(output.Path).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal([Path.Combine(output.Path, "a-red-car-5.png"), Path.Combine(output.Path, "a-red-car-6.png")], files);
        foreach (var file in files)
        {
            Assert.Contains(Path.GetFullPath(file), text, StringComparison.Ordinal);
            var parameters = PngImageEncoder.ReadParameters(await File.ReadAllBytesAsync(file));
            Assert.Equal(("a (red) car", "Euler a", 64, 72), (parameters!.Prompt, parameters.Sampler, parameters.Width, parameters.Height));
        }

        Assert.Contains("seed: 5  scheduler: euler-ancestral  steps: 2 (2 scheduler timesteps)  size: 64x72  guidance: ", text, StringComparison.Ordinal);
        Assert.Contains("  provider: cpu  time: ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_with_an_init_image_and_mask_inpaints_and_refuses_a_non_image()
    {
        var model = await GeneratedModelCache.GetTinyAsync();
        using var output = new TempFolder();
        Directory.CreateDirectory(output.Path);
        var init = Path.Combine(output.Path, "init.png");
        await File.WriteAllBytesAsync(init, PngImageEncoder.Encode(new RgbImage(16, 16, Enumerable.Range(0, 768).Select(i => (byte)i).ToArray())));
        var notAnImage = Path.Combine(output.Path, "notes.txt");
        await File.WriteAllTextAsync(notAnImage, "hello");

        var (exitCode, text, error) = await DfxRunner.RunAsync(
            "generate", "--model", model, "--prompt", "a cat", "--steps", "4", "--seed", "9", "--init", init, "--mask", init,
            "--strength", "0.5", "--scheduler", "euler", "--provider", "cpu", "--out", Path.Combine(output.Path, "out"));
        Assert.True(exitCode == 0, error);
        Assert.Contains("steps: 4 (2 scheduler timesteps)  size: 64x64", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output.Path, "out", "a-cat-9.png")));

        (exitCode, _, error) = await DfxRunner.RunAsync(
            "generate", "--model", model, "--prompt", "a cat", "--init", notAnImage, "--out", Path.Combine(output.Path, "out2"));
        Assert.Equal(2, exitCode);
        Assert.Equal("dfx: error: The init image is not a PNG, JPEG or WebP image." + Environment.NewLine, error);
    }

    [Fact]
    public async Task Generate_refuses_steps_and_strength_that_leave_no_denoising_step()
    {
        var model = await GeneratedModelCache.GetTinyAsync();
        using var output = new TempFolder();
        Directory.CreateDirectory(output.Path);
        var init = Path.Combine(output.Path, "init.png");
        await File.WriteAllBytesAsync(init, PngImageEncoder.Encode(new RgbImage(16, 16, new byte[768])));

        var (exitCode, _, error) = await DfxRunner.RunAsync(
            "generate", "--model", model, "--prompt", "a cat", "--steps", "3", "--init", init, "--strength", "0.3", "--provider", "cpu", "--out", output.Path);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            "dfx: error: --steps 3 with --strength 0.3 leaves no denoising step (int(steps × strength) = 0); raise --steps or --strength." + Environment.NewLine,
            error);
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("contact-sheet")]
    [InlineData("model inspect")]
    public async Task Every_command_with_cuda_on_a_machine_without_it_warns_once_and_runs_on_cpu(string command)
    {
        var model = await GeneratedModelCache.GetTinyAsync();
        using var output = new TempFolder();
        Directory.CreateDirectory(output.Path);
        string[] args = command switch
        {
            "generate" => ["generate", "--model", model, "--prompt", "a cat", "--steps", "1", "--seed", "1", "--provider", "cuda", "--out", output.Path],
            "contact-sheet" => ["contact-sheet", "--model", model, "--steps", "1", "--provider", "cuda", "--out", Path.Combine(output.Path, "sheet.png")],
            _ => ["model", "inspect", model, "--provider", "cuda"],
        };

        var (exitCode, text, error) = await DfxRunner.RunAsync(args);

        Assert.True(exitCode == 0, error);
        if (error.Length == 0)
        {
            return; // CUDA 13 + cuDNN 9 present: nothing to warn about
        }

        var line = Assert.Single(error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dfx: warning: CUDA execution provider (device 0) could not be loaded; running on CPU.", line, StringComparison.Ordinal);
        if (command != "contact-sheet")
        {
            Assert.Contains("provider: cpu", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Model_create_writes_a_folder_that_model_inspect_describes()
    {
        using var folder = new TempFolder();

        var (exitCode, text, error) = await DfxRunner.RunAsync("model", "create", "--preset", "tiny", "--variant", "t-int64,safety", "--seed", "3", "--out", folder.Path);
        Assert.True(exitCode == 0, error);
        Assert.Contains($"wrote tiny (t-int64batch-safety0.9, seed 3) to {Path.GetFullPath(folder.Path)}", text, StringComparison.Ordinal);

        (exitCode, text, error) = await DfxRunner.RunAsync("model", "inspect", folder.Path, "--provider", "cpu");
        Assert.True(exitCode == 0, error);
        Assert.Contains("provider: cpu (requested cpu), IOBinding: off", text, StringComparison.Ordinal);
        Assert.Contains("vae scaling factor: 0.18215", text, StringComparison.Ordinal);
        Assert.Contains("default size: 64x64", text, StringComparison.Ordinal);
        Assert.Contains("scheduler: PNDMScheduler (prediction epsilon)", text, StringComparison.Ordinal);
        Assert.Contains("unet: 4 input channels, timestep int64[batch], text width 32", text, StringComparison.Ordinal);
        Assert.Contains("vae encoder: latent_parameters; safety checker: yes", text, StringComparison.Ordinal);
        Assert.Matches(@"unet/model\.onnx\s+│ input\s+│ timestep\s+│ int64\[batch\]", text);
        Assert.Matches(@"safety_checker/model\.onnx\s+│ output\s+│ has_nsfw_concepts\s+│ bool\[batch_size\]", text);

        (exitCode, _, error) = await DfxRunner.RunAsync("model", "create", "--preset", "tiny", "--out", folder.Path);
        Assert.Equal(2, exitCode);
        Assert.Equal($"dfx: error: the output folder '{folder.Path}' is not empty." + Environment.NewLine, error);
    }
}
