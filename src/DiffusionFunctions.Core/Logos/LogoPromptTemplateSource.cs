using System.Reflection;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Logos;

/// <summary>
/// Finds the logo prompt template, first match wins: the deployment's <see cref="LogoOptions.TemplatePath"/>, the served
/// model folder's <c>logo_template.json</c> (beside its <c>generation_config.json</c>), the built-in
/// <c>Logos/default-logo-template.json</c> (a flat-vector-logo template for SD 1.x/2.x). Read once and kept.
/// </summary>
public sealed class LogoPromptTemplateSource(IOptions<LogoOptions> options)
{
    /// <summary>The template file name a model folder may carry.</summary>
    public const string ModelFolderFileName = "logo_template.json";

    private const string EmbeddedName = "DiffusionFunctions.Core.Logos.default-logo-template.json";
    private readonly Lock _lock = new();
    private (string? Folder, LogoPromptTemplate Template, string Origin)? _loaded;

    /// <summary>The template for <paramref name="modelFolder"/> (null: no model folder known) and where it came from.</summary>
    /// <exception cref="LogoTemplateException">The chosen file is invalid.</exception>
    public (LogoPromptTemplate Template, string Origin) Get(string? modelFolder)
    {
        lock (_lock)
        {
            if (_loaded is { } loaded && loaded.Folder == modelFolder)
            {
                return (loaded.Template, loaded.Origin);
            }

            var (template, origin) = Load(modelFolder);
            _loaded = (modelFolder, template, origin);
            return (template, origin);
        }
    }

    private (LogoPromptTemplate, string) Load(string? modelFolder)
    {
        if (options.Value.TemplatePath is { Length: > 0 } path)
        {
            return (LogoPromptTemplate.Parse(File.ReadAllText(path), $"'{path}' ({LogoOptions.SectionName}:TemplatePath)"), path);
        }

        if (modelFolder is not null && Path.Combine(modelFolder, ModelFolderFileName) is var inFolder && File.Exists(inFolder))
        {
            return (LogoPromptTemplate.Parse(File.ReadAllText(inFolder), $"'{inFolder}'"), inFolder);
        }

        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedName)
            ?? throw new LogoTemplateException($"The built-in logo prompt template {EmbeddedName} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return (LogoPromptTemplate.Parse(reader.ReadToEnd(), "built-in default-logo-template.json"), "built-in");
    }
}
