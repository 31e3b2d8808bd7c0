using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Policy;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>The verdict on one workflow item: the job's parameters, or why it was refused.</summary>
/// <param name="Parameters">The resolved parameters (seed picked) of an accepted item.</param>
/// <param name="Refusal">The refusal of a refused item.</param>
public sealed record WorkflowItemVerdict(GenerationParameters? Parameters, WorkflowItemRefusal? Refusal);

/// <summary>
/// Checks one workflow item with exactly the rules of <c>POST /api/generations</c>: the model it names, else the default
/// (<see cref="Routing.IModelSelector"/>; an unknown name is a <c>model</c> field refusal naming the served ones), then
/// <see cref="GenerationRequestValidator"/> with that model's rules (sizes, steps, modes, pinned defaults), then the
/// blocked-term policy (<see cref="IPromptPolicy"/>) on the prompt. A refusal is returned, not thrown, so one bad item
/// never sinks its run.
/// </summary>
public sealed class WorkflowItemValidator(
    Routing.IModelSelector models,
    GenerationRequestValidator validator,
    IPromptPolicy policy,
    IOptions<PromptPolicyOptions> policyOptions)
{
    /// <summary>Validates <paramref name="request"/>; <paramref name="hasInitImage"/> for img2img items whose image is supplied by the kind.</summary>
    public WorkflowItemVerdict Validate(GenerationRequest request, bool hasInitImage = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var model = models.Select(request.Model, out var modelError, out _);
        if (model is null)
        {
            var errors = new ValidationErrors();
            errors.Add("model", modelError!);
            return new WorkflowItemVerdict(null, WorkflowItemRefusal.FromValidation(errors));
        }

        var validation = validator.Validate(request, hasInitImage, hasMask: false, model);
        if (!validation.IsValid)
        {
            return new WorkflowItemVerdict(null, WorkflowItemRefusal.FromValidation(validation.Errors));
        }

        var verdict = policy.Evaluate(request.Prompt!);
        return verdict.IsBlocked
            ? new WorkflowItemVerdict(null, WorkflowItemRefusal.FromPolicy(verdict, policyOptions.Value.RevealMatches))
            : new WorkflowItemVerdict(validation.Parameters, null);
    }
}
