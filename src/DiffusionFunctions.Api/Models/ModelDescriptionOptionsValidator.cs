using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Models;

/// <summary>Fails start-up when <c>DiffusionFunctions:Model:Path</c> is set but names no readable model folder.</summary>
public sealed class ModelDescriptionOptionsValidator : IValidateOptions<ModelDescriptionOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ModelDescriptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Path is not { Length: > 0 } path)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            ModelFolderReader.Read(ModelFolderLocator.Resolve(path));
            return ValidateOptionsResult.Success;
        }
        catch (ModelDescriptionException ex)
        {
            return ValidateOptionsResult.Fail($"{ModelDescriptionOptions.SectionName}:Path: {ex.Message}");
        }
    }
}
