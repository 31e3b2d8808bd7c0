using DiffusionFunctions.Core.Jobs;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Submission;

/// <summary>
/// Holds a request until a job is finished or a deadline passes, for <c>Prefer: wait=N</c>. The API and the worker
/// are separate processes, so it reads the job record, first after a short delay and then at a growing interval
/// capped by <see cref="ApiOptions.WaitPollIntervalMilliseconds"/>: a bounded number of storage reads per held request.
/// </summary>
public sealed class JobCompletionWaiter(DiffusionJobsClient jobs, IOptions<ApiOptions> options, TimeProvider time)
{
    /// <summary>
    /// The job once it is finished (succeeded, failed or cancelled), or the latest record seen when
    /// <paramref name="timeout"/> passes first. Cancellation of <paramref name="cancellationToken"/> (the client went away) throws.
    /// </summary>
    public async Task<JobRecord> WaitAsync(JobRecord job, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var deadline = time.GetUtcNow() + timeout;
        var maxInterval = TimeSpan.FromMilliseconds(options.Value.WaitPollIntervalMilliseconds);
        var interval = TimeSpan.FromMilliseconds(Math.Min(50, options.Value.WaitPollIntervalMilliseconds));
        var latest = job;
        while (!latest.Status.IsFinal())
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            await Task.Delay(interval < left ? interval : left, time, cancellationToken).ConfigureAwait(false);
            latest = await jobs.GetAsync(job.Id, cancellationToken).ConfigureAwait(false) ?? latest;
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, maxInterval.Ticks));
        }

        return latest;
    }
}
