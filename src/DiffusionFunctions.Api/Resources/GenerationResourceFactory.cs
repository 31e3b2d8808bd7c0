using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Resources;

/// <summary>Turns a <see cref="JobRecord"/> into the <see cref="GenerationResource"/> clients see, signing result URLs.</summary>
public sealed class GenerationResourceFactory(ResultUrlSigner signer, IOptions<DiffusionStorageOptions> storage, TimeProvider time)
{
    /// <summary>Builds the resource; result URLs are read-only SAS URLs valid for <see cref="DiffusionStorageOptions.ResultUrlLifetime"/>.</summary>
    public async Task<GenerationResource> CreateAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var urls = new List<string>(job.Results.Count);
        foreach (var blob in job.Results)
        {
            urls.Add((await signer.GetReadUriAsync(blob, cancellationToken).ConfigureAwait(false)).AbsoluteUri);
        }

        var p = job.Parameters;
        return new GenerationResource
        {
            Id = job.Id,
            Status = job.Status.ToWireName(),
            CreatedAt = job.CreatedAt,
            StartedAt = job.StartedAt,
            FinishedAt = job.FinishedAt,
            UpdatedAt = job.UpdatedAt,
            CancelRequested = job.CancelRequested,
            Parameters = new GenerationParametersResource
            {
                Prompt = p.Prompt,
                NegativePrompt = p.NegativePrompt,
                Width = p.Width,
                Height = p.Height,
                Steps = p.Steps,
                GuidanceScale = p.GuidanceScale,
                Seed = p.Seed,
                Scheduler = p.Scheduler,
                Count = p.Count,
                Mode = GenerationModeNames.ToName(p.Mode),
                Strength = p.Strength,
                HasInitImage = p.InitImageBlob is not null,
                HasMask = p.MaskBlob is not null,
                CallbackUrl = p.CallbackUrl,
                Model = p.Model,
            },
            Progress = job.Progress is { } progress ? new GenerationProgressResource(progress.Step, progress.TotalSteps) : null,
            Results = urls,
            ResultsExpireAt = urls.Count > 0 ? time.GetUtcNow() + storage.Value.ResultUrlLifetime : null,
            WithheldCount = job.WithheldCount,
            TokensTruncated = job.TokensTruncated,
            Device = job.Device,
            Model = job.Model ?? p.Model,
            Warnings = job.Warnings,
            Error = job.Error is { } error ? new GenerationErrorResource(error.Code, error.Message) : null,
        };
    }
}
