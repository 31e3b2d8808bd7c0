using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>Every .bicep and .bicepparam under bicep/ compiles with the Bicep CLI, without a single diagnostic.</summary>
public sealed partial class BicepCompilationTests
{
    public static TheoryData<string> BicepFiles() => new(FileList("*.bicep"));

    public static TheoryData<string> ParamFiles() => new(FileList("*.bicepparam"));

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Bicep_file_compiles_without_errors_or_warnings(string relativePath)
    {
        var template = BicepCli.Build(RepositoryPaths.File(relativePath));

        Assert.NotNull(template["resources"]);
    }

    [Theory]
    [MemberData(nameof(ParamFiles))]
    public void Param_file_compiles_without_errors_or_warnings(string relativePath)
    {
        var parameters = BicepCli.BuildParams(RepositoryPaths.File(relativePath));

        Assert.NotNull(parameters["parameters"]);
    }

    [Fact]
    public void There_is_something_to_compile()
    {
        Assert.Contains("bicep/main.bicep", FileList("*.bicep"));
        Assert.Contains("bicep/rbac.bicep", FileList("*.bicep"));
        Assert.Contains("bicep/modules/worker.bicep", FileList("*.bicep"));
        Assert.Contains("bicep/main.bicepparam", FileList("*.bicepparam"));
    }

    [Fact]
    public void The_linter_enforces_recent_api_versions()
    {
        // bicepconfig.json allows comments; strip them before parsing.
        var text = CommentLine().Replace(RepositoryPaths.ReadText("bicep", "bicepconfig.json"), string.Empty);
        var rules = JsonNode.Parse(text)!["analyzers"]!["core"]!["rules"]!;

        Assert.Equal("error", (string?)rules["use-recent-api-versions"]!["level"]);
        Assert.Equal("error", (string?)rules["outputs-should-not-contain-secrets"]!["level"]);
    }

    [Fact]
    public void Every_suppression_is_justified_by_a_comment_above_it()
    {
        foreach (var relativePath in FileList("*.bicep"))
        {
            var lines = File.ReadAllLines(RepositoryPaths.File(relativePath));
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("#disable", StringComparison.Ordinal))
                {
                    Assert.True(i > 0 && lines[i - 1].TrimStart().StartsWith("//", StringComparison.Ordinal),
                        $"{relativePath}:{i + 1} suppresses a rule without a justifying comment on the line above.");
                }
            }
        }
    }

    [Fact]
    public void Old_api_versions_fail_the_build()
    {
        // The check above is only worth something if an old version really fails: compile a copy with one.
        var directory = Directory.CreateTempSubdirectory("dfx-bicep-");
        try
        {
            File.Copy(RepositoryPaths.File("bicep", "bicepconfig.json"), Path.Combine(directory.FullName, "bicepconfig.json"));
            var file = Path.Combine(directory.FullName, "old.bicep");
            File.WriteAllText(file, "param location string\nresource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2018-11-30' = {\n  name: 'x'\n  location: location\n}\n");

            var error = Assert.Throws<BicepDiagnosticsException>(() => BicepCli.Build(file));

            Assert.Contains("use-recent-api-versions", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string[] FileList(string pattern)
        => [.. Directory.EnumerateFiles(RepositoryPaths.File("bicep"), pattern, SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"^\s*//.*$", RegexOptions.Multiline)]
    private static partial Regex CommentLine();
}
