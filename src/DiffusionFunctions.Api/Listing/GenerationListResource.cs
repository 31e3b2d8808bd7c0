using DiffusionFunctions.Api.Resources;

namespace DiffusionFunctions.Api.Listing;

/// <summary>The body of <c>GET /api/generations</c>: the caller's most recent jobs, newest first.</summary>
/// <param name="Generations">The jobs.</param>
public sealed record GenerationListResource(IReadOnlyList<GenerationResource> Generations);
