namespace DiffusionFunctions.Worker.Logos;

/// <summary>The keys of a logo run's <c>WorkflowRunDefinition.Properties</c> (also in its completion event's data).</summary>
public static class LogoRunProperties
{
    /// <summary>The workflow kind of logo runs.</summary>
    public const string Kind = "logo";

    /// <summary>The container of the upload.</summary>
    public const string Container = "container";

    /// <summary>The upload's blob name.</summary>
    public const string Upload = "upload";

    /// <summary>The brief name results are filed under (<see cref="LogoUploadNames.BriefName"/>).</summary>
    public const string BriefName = "briefName";

    /// <summary>SHA-256 of the brief (and sketch) bytes.</summary>
    public const string BriefHash = "briefHash";

    /// <summary>The upload's ETag (and its sidecar's): what makes it this upload.</summary>
    public const string Identity = "uploadETag";

    /// <summary>brief or sketch.</summary>
    public const string UploadKind = "uploadKind";

    /// <summary>The sidecar brief's blob name, for a sketch that had one.</summary>
    public const string Sidecar = "sidecar";

    /// <summary>Where the logos and manifest land in the results container: <c>{prefix}/{brief name}</c>.</summary>
    public const string OutputPrefix = "outputPrefix";

    /// <summary>Which prompt template made the prompts (a path, or <c>built-in</c>).</summary>
    public const string Template = "template";

    /// <summary>Set on the run of a refused upload: the refusal blob's name (in the upload's container).</summary>
    public const string Rejected = "rejected";
}
