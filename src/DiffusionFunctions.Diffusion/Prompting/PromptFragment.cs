namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>A run of prompt text with one attention weight (1 where no emphasis applies).</summary>
/// <param name="Text">The literal text, escapes resolved.</param>
/// <param name="Weight">The product of the enclosing emphasis multipliers.</param>
public readonly record struct PromptFragment(string Text, float Weight);
