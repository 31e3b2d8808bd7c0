namespace DiffusionFunctions.Worker.Logos;

/// <summary>
/// The naming rules of the logo-requests container: <c>{name}.rejected.json</c> is a refusal this app wrote (never a
/// brief), <c>{sketch name}.json</c> (for example <c>acme.png.json</c>) is a sketch's sidecar brief (read with the sketch,
/// never a run of its own), and a run's results go under <c>{prefix}/{brief name}/</c>.
/// </summary>
public static class LogoUploadNames
{
    /// <summary>The suffix of refusal blobs.</summary>
    public const string RejectedSuffix = ".rejected.json";

    private static readonly string[] SketchExtensions = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>The refusal blob of <paramref name="name"/>.</summary>
    public static string RejectedName(string name) => name + RejectedSuffix;

    /// <summary>The sidecar brief a sketch may have.</summary>
    public static string SidecarName(string sketchName) => sketchName + ".json";

    /// <summary>True for a refusal blob written by the workflow.</summary>
    public static bool IsRejection(string name) => name.EndsWith(RejectedSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a sketch's sidecar brief (<c>*.png.json</c>, <c>*.jpg.json</c>, <c>*.jpeg.json</c>, <c>*.webp.json</c>).</summary>
    public static bool IsSidecar(string name)
        => name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
           && SketchExtensions.Any(e => name[..^".json".Length].EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The brief name results are filed under: the blob name without its extension (<c>briefs/acme.json</c> →
    /// <c>briefs/acme</c>, <c>acme.png</c> → <c>acme</c>).
    /// </summary>
    public static string BriefName(string name)
    {
        var slash = name.LastIndexOf('/');
        var dot = name.LastIndexOf('.');
        return dot > slash + 1 ? name[..dot] : name;
    }
}
