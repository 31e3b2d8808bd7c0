using DiffusionFunctions.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Worker.Processing;

/// <summary>
/// Keeps a running job's record in step with the engine at a bounded rate: the engine's step callback only stores the
/// latest step (no I/O on the engine's thread); a background loop wakes every <c>interval</c>, writes the step when it
/// changed (at most one write per interval, however fast the steps are) or otherwise reads the record, and cancels the job's
/// token when the record says the client asked to cancel. The engine then stops at its next step boundary.
/// </summary>
internal sealed class JobProgressReporter : IAsyncDisposable
{
    private readonly DiffusionJobsClient _jobs;
    private readonly string _jobId;
    private readonly CancellationTokenSource _jobCancellation;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _latest; // (step << 32) | total
    private long _written;
    private int _writes;
    private int _cancelObserved;

    public JobProgressReporter(
        DiffusionJobsClient jobs, string jobId, TimeSpan interval, TimeProvider time, CancellationTokenSource jobCancellation, ILogger logger)
    {
        _jobs = jobs;
        _jobId = jobId;
        _jobCancellation = jobCancellation;
        _logger = logger;
        _loop = RunAsync(interval, time);
    }

    /// <summary>Progress writes so far.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>True once the record asked for cancellation (and the job's token was cancelled because of it).</summary>
    public bool CancellationObserved => Volatile.Read(ref _cancelObserved) == 1;

    /// <summary>The engine's step callback: remembers the step; never blocks.</summary>
    public void OnStep(int step, int totalSteps) => Interlocked.Exchange(ref _latest, ((long)step << 32) | (uint)totalSteps);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, TimeProvider time)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                await SyncAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A missed progress write is harmless; the next tick tries again.
                _logger.LogWarning(ex, "Could not sync progress of job {JobId}", _jobId);
            }
        }
    }

    private async Task SyncAsync()
    {
        var latest = Interlocked.Read(ref _latest);
        JobRecord? record;
        if (latest != _written && latest != 0)
        {
            record = await _jobs.ReportProgressAsync(_jobId, (int)(latest >> 32), (int)(latest & 0xffffffff), _stop.Token).ConfigureAwait(false);
            _written = latest;
            Interlocked.Increment(ref _writes);
        }
        else
        {
            record = await _jobs.GetAsync(_jobId, _stop.Token).ConfigureAwait(false);
        }

        if (record is { CancelRequested: true } or { Status: JobStatus.Cancelled })
        {
            _logger.LogInformation("Job {JobId}: cancellation requested; stopping at the next step", _jobId);
            Interlocked.Exchange(ref _cancelObserved, 1);
            await _jobCancellation.CancelAsync().ConfigureAwait(false);
            await _stop.CancelAsync().ConfigureAwait(false);
        }
    }
}
