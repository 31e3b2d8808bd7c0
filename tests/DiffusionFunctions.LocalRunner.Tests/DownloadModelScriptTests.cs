using System.Diagnostics;
using System.Security.Cryptography;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// <c>infra/scripts/download-model.sh</c> offline, with file:// URLs: a published SHA-256 is checked; a "-" records the
/// file's SHA-256 on first download, and a later download of a changed file is refused against the recorded value.
/// The shipped manifest is well-formed and names a complete diffusers ONNX folder.
/// </summary>
public sealed class DownloadModelScriptTests
{
    private static string Script => Path.Combine(RepositoryPaths.Root, "infra", "scripts", "download-model.sh");

    [Fact]
    public async Task Without_a_published_checksum_the_first_download_records_it_and_later_ones_are_verified()
    {
        var work = Directory.CreateTempSubdirectory("dfx-download-model-");
        try
        {
            var source = Directory.CreateDirectory(Path.Combine(work.FullName, "source")).FullName;
            await File.WriteAllTextAsync(Path.Combine(source, "model_index.json"), "{}");
            await File.WriteAllTextAsync(Path.Combine(source, "unet.onnx"), "weights v1");
            var indexSha = Convert.ToHexStringLower(SHA256.HashData("{}"u8));
            var manifest = Path.Combine(work.FullName, "test.manifest");
            await File.WriteAllTextAsync(manifest,
                $"# test\n{indexSha}  model_index.json  file://{source}/model_index.json\n-  unet/model.onnx  file://{source}/unet.onnx\n");

            var (first, firstOutput) = await RunAsync(manifest, Path.Combine(work.FullName, "one"));
            Assert.True(first == 0, firstOutput);
            Assert.Contains("recorded", firstOutput, StringComparison.Ordinal);
            var recorded = await File.ReadAllTextAsync(manifest + ".sha256");
            Assert.Equal($"{Convert.ToHexStringLower(SHA256.HashData("weights v1"u8))}  unet/model.onnx\n", recorded);
            Assert.Equal("weights v1", await File.ReadAllTextAsync(Path.Combine(work.FullName, "one", "unet", "model.onnx")));

            // The file changes upstream: the next download is refused, and nothing lands in the target.
            await File.WriteAllTextAsync(Path.Combine(source, "unet.onnx"), "weights v2, tampered");
            var (second, secondOutput) = await RunAsync(manifest, Path.Combine(work.FullName, "two"));
            Assert.Equal(1, second);
            Assert.Contains("checksum mismatch for unet/model.onnx", secondOutput, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(work.FullName, "two", "model_index.json")));
            Assert.Equal(recorded, await File.ReadAllTextAsync(manifest + ".sha256"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_shipped_manifest_names_a_complete_onnx_pipeline_with_a_checksum_or_dash_per_line()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "models", "sd15-onnx.manifest"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split("  "))
            .ToList();
        foreach (var fields in lines)
        {
            Assert.Equal(3, fields.Length);
            Assert.Matches("^(-|[0-9a-f]{64})$", fields[0]);
            Assert.StartsWith("https://", fields[2], StringComparison.Ordinal);
            Assert.EndsWith("/" + fields[1], fields[2], StringComparison.Ordinal);
        }

        var paths = lines.Select(f => f[1]).ToHashSet();
        foreach (var required in new[] { "model_index.json", "text_encoder/model.onnx", "unet/model.onnx", "vae_decoder/model.onnx", "tokenizer/vocab.json", "tokenizer/merges.txt", "scheduler/scheduler_config.json" })
        {
            Assert.Contains(required, paths);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string manifest, string target)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", [Script, manifest, target]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        return (bash.ExitCode, await output + await errors);
    }
}
