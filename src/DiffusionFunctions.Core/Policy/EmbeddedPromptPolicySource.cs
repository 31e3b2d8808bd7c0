namespace DiffusionFunctions.Core.Policy;

/// <summary>The default policy shipped inside DiffusionFunctions.Core (<c>Policy/default-prompt-policy.json</c>).</summary>
internal sealed class EmbeddedPromptPolicySource : IPromptPolicySource
{
    /// <summary>The manifest resource name of the default policy.</summary>
    public const string ResourceName = "DiffusionFunctions.Core.Policy.default-prompt-policy.json";

    /// <inheritdoc />
    public string Description => "default (embedded in DiffusionFunctions.Core)";

    /// <inheritdoc />
    public bool CanChange => false;

    /// <summary>Reads the embedded default policy document.</summary>
    public static byte[] ReadDocument()
    {
        using var stream = typeof(EmbeddedPromptPolicySource).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The default prompt policy resource '{ResourceName}' is missing from DiffusionFunctions.Core.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <inheritdoc />
    public PromptPolicyContent Load() => new(ReadDocument(), "embedded");

    /// <inheritdoc />
    public Task<PromptPolicyContent?> LoadIfChangedAsync(string? knownVersion, CancellationToken cancellationToken) =>
        Task.FromResult(knownVersion == "embedded" ? null : (PromptPolicyContent?)Load());
}
