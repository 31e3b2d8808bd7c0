namespace DiffusionFunctions.Core.Policy;

/// <summary>What one <see cref="ReloadingPromptPolicy.ReloadIfChangedAsync"/> check did.</summary>
public enum PromptPolicyReloadResult
{
    /// <summary>The source has not changed since the last check (or is the fixed built-in default).</summary>
    Unchanged,

    /// <summary>A new version was loaded and is now in force.</summary>
    Reloaded,

    /// <summary>A new version was found but is not a valid policy; the last good one stays in force (logged once per version).</summary>
    Rejected,

    /// <summary>The source could not be read (missing, I/O or storage error); the last good version stays in force (logged).</summary>
    SourceUnavailable,
}
