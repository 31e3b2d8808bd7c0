namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>A run of prompt text with one attention weight (1 where no emphasis applies), or a <c>BREAK</c>.</summary>
/// <param name="Text">The literal text, escapes resolved; "BREAK" for a chunk break.</param>
/// <param name="Weight">The product of the enclosing emphasis multipliers (1 for a chunk break).</param>
/// <param name="IsChunkBreak">The web UI's <c>BREAK</c> keyword: ends the current 75-token chunk and is never encoded.</param>
public readonly record struct PromptFragment(string Text, float Weight, bool IsChunkBreak = false)
{
    /// <summary>The keyword that ends a chunk.</summary>
    public const string BreakKeyword = "BREAK";

    /// <summary>A chunk break.</summary>
    public static PromptFragment ChunkBreak { get; } = new(BreakKeyword, 1f, IsChunkBreak: true);
}
