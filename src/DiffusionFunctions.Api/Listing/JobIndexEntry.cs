namespace DiffusionFunctions.Api.Listing;

/// <summary>One job in a caller's day index blob.</summary>
/// <param name="Id">The job id.</param>
/// <param name="CreatedAt">When the API accepted it.</param>
public sealed record JobIndexEntry(string Id, DateTimeOffset CreatedAt);
