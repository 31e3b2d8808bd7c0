using DiffusionFunctions.Core.Images;
using DiffusionFunctions.Core.Logos;

namespace DiffusionFunctions.Worker.Logos;

/// <summary>What kind of upload a blob in the logo-requests container is.</summary>
public enum LogoUploadKind
{
    /// <summary>A JSON brief: logos from text.</summary>
    Brief,

    /// <summary>A PNG, JPEG or WebP sketch (with an optional sidecar brief): img2img logos.</summary>
    Sketch,
}

/// <summary>An upload that was read and recognised (not yet validated).</summary>
/// <param name="Container">Its container.</param>
/// <param name="Name">Its blob name.</param>
/// <param name="Identity">What makes it this upload for exactly-once purposes: its ETag (and its sidecar's).</param>
/// <param name="Kind">Brief or sketch.</param>
/// <param name="Brief">The brief (a sketch without a sidecar gets one naming the sketch).</param>
/// <param name="Sketch">The sketch image, for <see cref="LogoUploadKind.Sketch"/>.</param>
/// <param name="BriefHash">Lowercase hex SHA-256 of the brief bytes (and of the sketch, for a sketch).</param>
/// <param name="SidecarName">The sidecar brief's blob name, when one was read.</param>
public sealed record LogoUpload(
    string Container,
    string Name,
    string Identity,
    LogoUploadKind Kind,
    LogoBrief Brief,
    InputImage? Sketch,
    string BriefHash,
    string? SidecarName);

/// <summary>How reading an upload ended.</summary>
public enum LogoUploadReadStatus
{
    /// <summary>Read and recognised: see <see cref="LogoUploadReadResult.Upload"/>.</summary>
    Read,

    /// <summary>Refused before validation (too large, unknown type, not JSON): see <see cref="LogoUploadReadResult.Rejection"/>.</summary>
    Rejected,

    /// <summary>Not an upload that starts a run (a refusal blob, a sidecar, another container); nothing to answer.</summary>
    Ignored,

    /// <summary>The blob no longer exists (deleted after upload); nothing to answer.</summary>
    Gone,
}

/// <summary>The outcome of <see cref="LogoUploadReader.ReadAsync"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Upload">The upload, when read.</param>
/// <param name="Rejection">Why it was refused, when rejected.</param>
/// <param name="Identity">The upload's identity (ETag) when known: also a refused upload's run is named from it.</param>
/// <param name="Reason">Why it was ignored, for the log.</param>
/// <param name="CallbackUrl">A refused brief's callback URL when it was readable (it still gets the failure event).</param>
public sealed record LogoUploadReadResult(
    LogoUploadReadStatus Status,
    LogoUpload? Upload = null,
    LogoRejection? Rejection = null,
    string? Identity = null,
    string? Reason = null,
    string? CallbackUrl = null);
