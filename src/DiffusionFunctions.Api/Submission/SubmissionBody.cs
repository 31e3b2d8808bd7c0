using DiffusionFunctions.Core.Generation;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Submission;

/// <summary>
/// A parsed <c>POST /api/generations</c> body: the request fields and, for multipart bodies, the raw image parts;
/// or the problem that stopped parsing.
/// </summary>
public sealed class SubmissionBody
{
    private SubmissionBody(GenerationRequest? request, byte[]? initImagePart, byte[]? maskPart, ObjectResult? problem)
    {
        Request = request;
        InitImagePart = initImagePart;
        MaskPart = maskPart;
        Problem = problem;
    }

    /// <summary>The request fields (null when <see cref="Problem"/> is set).</summary>
    public GenerationRequest? Request { get; }

    /// <summary>The <c>initImage</c> file part of a multipart body.</summary>
    public byte[]? InitImagePart { get; }

    /// <summary>The <c>mask</c> file part of a multipart body.</summary>
    public byte[]? MaskPart { get; }

    /// <summary>The problem to answer with, when the body could not be read.</summary>
    public ObjectResult? Problem { get; }

    /// <summary>True when the init image was supplied (base64 field or file part).</summary>
    public bool HasInitImage => InitImagePart is not null || !string.IsNullOrEmpty(Request?.InitImage);

    /// <summary>True when the mask was supplied (base64 field or file part).</summary>
    public bool HasMask => MaskPart is not null || !string.IsNullOrEmpty(Request?.Mask);

    internal static SubmissionBody Parsed(GenerationRequest request, byte[]? initImagePart = null, byte[]? maskPart = null)
        => new(request, initImagePart, maskPart, null);

    internal static SubmissionBody Failed(ObjectResult problem) => new(null, null, null, problem);
}
