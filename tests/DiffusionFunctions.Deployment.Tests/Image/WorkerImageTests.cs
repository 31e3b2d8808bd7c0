using System.Text.RegularExpressions;

namespace DiffusionFunctions.Deployment.Tests.Image;

/// <summary>
/// infra/worker/Dockerfile, checked since no Docker engine builds it here: base image, linux-x64 publish, non-root user,
/// and a library path that covers every CUDA library ONNX Runtime GPU's CUDA provider needs (read from its ELF file).
/// </summary>
public sealed partial class WorkerImageTests
{
    // glibc, the C++ runtime and the loader: in every base image.
    private static readonly string[] SystemLibraries =
        ["libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libstdc++.so.6", "libgcc_s.so.1", "ld-linux-x86-64.so.2"];

    // The CUDA 13 toolkit wheels dropped the -cuNN suffix; these names are deprecated 0.0.1 stubs on PyPI.
    private static readonly string[] DeprecatedWheels =
        ["nvidia-cuda-runtime-cu13", "nvidia-cublas-cu13", "nvidia-curand-cu13", "nvidia-cufft-cu13", "nvidia-cuda-nvrtc-cu13", "nvidia-nvjitlink-cu13"];

    private readonly Dockerfile _dockerfile = Dockerfile.Load();
    private readonly IReadOnlyList<CudaLibrary> _libraries = CudaLibrary.Load();

    [Fact]
    public void Runs_on_the_functions_dotnet_isolated_10_base_image()
        => Assert.Equal("mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0", _dockerfile.FinalStage.Image);

    [Fact]
    public void Publishes_the_worker_for_linux_x64_only()
    {
        var publish = Assert.Single(_dockerfile.Stages.SelectMany(s => s.All("RUN")), r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal));

        Assert.Contains("src/DiffusionFunctions.Worker/DiffusionFunctions.Worker.csproj", publish.Arguments, StringComparison.Ordinal);
        Assert.Contains("-r linux-x64", publish.Arguments, StringComparison.Ordinal);
        Assert.Contains("--self-contained false", publish.Arguments, StringComparison.Ordinal);
        // The ONNX Runtime Windows package's props would still add its win-x64 natives; the worker drops them.
        var project = RepositoryPaths.ReadText("src", "DiffusionFunctions.Worker", "DiffusionFunctions.Worker.csproj");
        Assert.Contains("DropWindowsOnnxRuntimeNatives", project, StringComparison.Ordinal);
        Assert.Contains("microsoft.ml.onnxruntime.gpu.windows", project, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_as_a_non_root_user()
    {
        var user = _dockerfile.FinalStage.All("USER").Last().Arguments;
        var name = user.Split(':')[0];

        Assert.NotEqual("root", name);
        Assert.NotEqual("0", name);
        Assert.Equal("USER", _dockerfile.FinalStage.Instructions.Last(i => i.Keyword is "USER" or "RUN" or "COPY").Keyword);
        Assert.StartsWith("http://+:", _dockerfile.FinalStage.Env("ASPNETCORE_URLS"), StringComparison.Ordinal);
        Assert.DoesNotContain(":80", _dockerfile.FinalStage.Env("ASPNETCORE_URLS")!.Replace(":8080", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Sets_the_nvidia_environment()
    {
        Assert.Equal("all", _dockerfile.FinalStage.Env("NVIDIA_VISIBLE_DEVICES"));
        Assert.Contains("compute", _dockerfile.FinalStage.Env("NVIDIA_DRIVER_CAPABILITIES")!, StringComparison.Ordinal);
        Assert.Equal("cuda>=13.0", _dockerfile.FinalStage.Env("NVIDIA_REQUIRE_CUDA"));
        Assert.Equal("Cuda", _dockerfile.FinalStage.Env("DiffusionFunctions__Engine__Provider"));
    }

    [Fact]
    public void Sets_the_library_path_once_and_nowhere_else()
    {
        var assignments = _dockerfile.Stages.SelectMany(s => s.EnvAssignments()).Where(p => p.Key == "LD_LIBRARY_PATH").ToList();
        Assert.Single(assignments);

        foreach (var run in _dockerfile.Stages.SelectMany(s => s.All("RUN")))
        {
            Assert.DoesNotContain("LD_LIBRARY_PATH", run.Arguments, StringComparison.Ordinal);
            Assert.DoesNotContain("profile.d", run.Arguments, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_table_names_exactly_the_cuda_providers_needed_libraries()
    {
        var needed = ElfDynamicSection.Needed(RepositoryPaths.CudaProviderLibrary);
        var nonSystem = needed.Except(SystemLibraries).Order(StringComparer.Ordinal);
        var fromTable = _libraries.Where(l => l.How is "needed" or "driver").Select(l => l.Soname).Order(StringComparer.Ordinal);

        Assert.Contains("libcudart.so.13", needed);
        Assert.Equal(fromTable, nonSystem);
    }

    [Fact]
    public void The_libraries_the_provider_opens_by_name_are_named_in_its_file()
    {
        // The provider builds these names in code (8-byte immediates), so look for their first and last 8 bytes.
        var bytes = File.ReadAllBytes(RepositoryPaths.CudaProviderLibrary);
        foreach (var library in _libraries.Where(l => l.How == "dlopen"))
        {
            var name = System.Text.Encoding.ASCII.GetBytes(library.Soname);
            Assert.True(bytes.AsSpan().IndexOf(name.AsSpan(0, 8)) >= 0 && bytes.AsSpan().IndexOf(name.AsSpan(name.Length - 8)) >= 0,
                $"{library.Soname} is not named in the CUDA provider: is the table out of date?");
        }
    }

    [Fact]
    public void Library_path_covers_every_directory_the_cuda_libraries_resolve_to()
    {
        var path = _dockerfile.FinalStage.Env("LD_LIBRARY_PATH")!.Split(':');
        var directories = _libraries.Where(l => l.How != "driver").Select(l => l.Directory).Distinct().ToList();

        Assert.NotEmpty(directories);
        Assert.All(directories, d => Assert.Contains(d, path));
        // ...and nothing else: every entry is a directory the image fills with those libraries.
        Assert.All(path, d => Assert.Contains(d, directories));
    }

    [Fact]
    public void Library_directories_are_copied_from_the_wheels_own_layout()
    {
        var copies = _dockerfile.FinalStage.All("COPY").Select(c => c.Arguments).Where(a => a.StartsWith("--from=cuda-libs ", StringComparison.Ordinal)).ToList();
        foreach (var directory in _libraries.Where(l => l.How != "driver").Select(l => l.Directory).Distinct())
        {
            // /opt/nvidia/<x>/lib comes from the wheels' nvidia/<x>/lib (cu13 for the CUDA 13 toolkit, cudnn for cuDNN).
            var wheelDirectory = "/wheels/nvidia/" + directory["/opt/nvidia/".Length..];
            Assert.Contains($"--from=cuda-libs {wheelDirectory} {directory}", copies);
        }

        var cudaLibsStage = _dockerfile.Stages.Single(s => s.From.EndsWith("AS cuda-libs", StringComparison.Ordinal));
        var checks = string.Join(' ', cudaLibsStage.All("RUN").Select(r => r.Arguments));
        Assert.Contains("test -f /wheels/nvidia/cu13/lib/libcudart.so.13", checks, StringComparison.Ordinal);
        Assert.Contains("test -f /wheels/nvidia/cudnn/lib/libcudnn.so.9", checks, StringComparison.Ordinal);
    }

    [Fact]
    public void Installs_each_wheel_by_its_real_name_and_exact_version()
    {
        var cudaLibsStage = _dockerfile.Stages.Single(s => s.From.EndsWith("AS cuda-libs", StringComparison.Ordinal));
        var install = Assert.Single(cudaLibsStage.All("RUN"), r => r.Arguments.Contains("pip install", StringComparison.Ordinal)).Arguments;
        var pinned = PinnedWheel().Matches(install).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        foreach (var library in _libraries.Where(l => l.How != "driver"))
        {
            Assert.True(pinned.TryGetValue(library.Wheel, out var version), $"{library.Wheel} is not installed.");
            Assert.Equal(library.Version, version);
        }

        Assert.Equal(pinned.Keys.Order(), _libraries.Where(l => l.How != "driver").Select(l => l.Wheel).Distinct().Order());
        Assert.All(DeprecatedWheels, name => Assert.DoesNotContain(name, install, StringComparison.Ordinal));
        Assert.Contains("--no-deps", install, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerignore_keeps_build_output_tools_settings_and_training_out()
    {
        var patterns = File.ReadAllLines(RepositoryPaths.File(".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();

        foreach (var pattern in new[] { "artifacts/", ".git", ".tools/", "**/local.settings.json", "models/tiny-shapes/training/", ".azure/", "**/bin/", "**/obj/", ".azurite/" })
        {
            Assert.Contains(pattern, patterns);
        }
    }

    [Fact]
    public void Copies_no_secret_or_local_settings_file()
    {
        var forbidden = new[] { "local.settings", ".env", ".azure", ".pfx", ".pem", "secrets" };
        foreach (var copy in _dockerfile.Stages.SelectMany(s => s.All("COPY").Concat(s.All("ADD"))))
        {
            Assert.All(forbidden, f => Assert.DoesNotContain(f, copy.Arguments, StringComparison.OrdinalIgnoreCase));
        }

        foreach (var name in _dockerfile.Stages.SelectMany(s => s.EnvAssignments()).Select(p => p.Key)
                     .Concat(_dockerfile.Stages.SelectMany(s => s.All("ARG")).Select(a => a.Arguments.Split('=')[0])))
        {
            Assert.DoesNotMatch(SecretName(), name);
        }

        // The only whole-context copy is the build stage's, and the runtime stage takes nothing from the context but
        // the model fetch script.
        Assert.DoesNotContain(_dockerfile.FinalStage.All("COPY"), c => c.Arguments.StartsWith(". ", StringComparison.Ordinal));
        Assert.All(_dockerfile.FinalStage.All("COPY").Where(c => !c.Arguments.StartsWith("--from=", StringComparison.Ordinal)),
            c => Assert.Equal("infra/worker/fetch-model.sh /opt/dfx/fetch-model.sh", c.Arguments));
    }

    [Fact]
    public void Parser_reads_a_user_and_env_forms()
    {
        // Guard for the checks above: the parser sees both ENV forms and the last USER.
        var parsed = Dockerfile.Parse("FROM a AS b\nENV X=1 \\\n    Y=\"two\"\nENV Z three\nUSER 0\nFROM c\nUSER 10:10\n");

        Assert.Equal("c", parsed.FinalStage.Image);
        Assert.Equal("10:10", parsed.FinalStage.All("USER").Single().Arguments);
        Assert.Equal(["X", "Y", "Z"], parsed.Stages[0].EnvAssignments().Select(p => p.Key));
        Assert.Equal("two", parsed.Stages[0].Env("Y"));
        Assert.Equal("three", parsed.Stages[0].Env("Z"));
    }

    [GeneratedRegex(@"(nvidia-[a-z0-9-]+)==([0-9.]+)")]
    private static partial Regex PinnedWheel();

    [GeneratedRegex("(?i)(secret|password|connection|accountkey|token)")]
    private static partial Regex SecretName();
}
