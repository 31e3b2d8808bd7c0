using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// The app's <see cref="IPromptPolicy"/>: the policy from <c>PromptPolicy:Source</c>, loaded once when it is created
/// (failing with <see cref="PromptPolicyLoadException"/> if that is impossible) and then checked for changes every
/// <c>PromptPolicy:ReloadInterval</c> by a background loop that calls <see cref="ReloadIfChangedAsync"/>. A new version
/// replaces the compiled policy atomically; a broken one is logged and ignored, and the last good one stays in force.
/// </summary>
public sealed partial class ReloadingPromptPolicy : IPromptPolicy, IDisposable
{
    private readonly IPromptPolicySource source;
    private readonly ILogger<ReloadingPromptPolicy> logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private volatile CompiledPromptPolicy current;
    private string currentVersion;
    private string? lastRejectedVersion;

    internal ReloadingPromptPolicy(IPromptPolicySource source, TimeSpan reloadInterval, ILogger<ReloadingPromptPolicy> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.source = source;
        this.logger = logger;

        PromptPolicyContent content;
        try
        {
            content = source.Load();
            current = Compile(content);
        }
        catch (Exception ex) when (ex is not PromptPolicyLoadException)
        {
            LogStartupFailed(logger, source.Description, ex);
            throw new PromptPolicyLoadException(
                $"The prompt policy could not be loaded from {PromptPolicyOptions.SectionName}:{nameof(PromptPolicyOptions.Source)} ({source.Description}), and there is no earlier version to fall back on: {ex.Message}",
                ex);
        }

        currentVersion = content.Version;
        LogLoaded(logger, source.Description, content.Version, current.Terms.Count);

        if (source.CanChange && reloadInterval > TimeSpan.Zero)
        {
            var token = stopping.Token;
            ReloadLoop = Task.Run(() => ReloadLoopAsync(reloadInterval, timeProvider, token), CancellationToken.None);
        }
    }

    /// <summary>The compiled policy in force now.</summary>
    public CompiledPromptPolicy Current => current;

    /// <summary>The version in force now: the file's content hash, the blob's ETag, or "embedded".</summary>
    public string CurrentVersion => Volatile.Read(ref currentVersion);

    /// <summary>Where the policy is read from, as shown in logs.</summary>
    public string SourceDescription => source.Description;

    /// <summary>The background reload loop, or null when reloading is off (fixed default policy, interval zero).</summary>
    internal Task? ReloadLoop { get; }

    /// <inheritdoc />
    public PromptPolicyVerdict Evaluate(string text) => current.Evaluate(text);

    /// <summary>
    /// Checks the source once and swaps in a new version if there is one. The background loop calls this every
    /// <c>PromptPolicy:ReloadInterval</c>; callers (tests, an admin action) may call it directly. Never throws for a
    /// broken or unreadable source: it logs, keeps the last good policy and says what happened.
    /// </summary>
    public async Task<PromptPolicyReloadResult> ReloadIfChangedAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var known = lastRejectedVersion ?? CurrentVersion;
            PromptPolicyContent? content;
            try
            {
                content = await source.LoadIfChangedAsync(known, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogSourceUnavailable(logger, source.Description, CurrentVersion, ex);
                return PromptPolicyReloadResult.SourceUnavailable;
            }

            if (content is null)
            {
                return PromptPolicyReloadResult.Unchanged;
            }

            if (content.Version == CurrentVersion)
            {
                // Back to the version in force after a rejected one: nothing to compile.
                lastRejectedVersion = null;
                return PromptPolicyReloadResult.Unchanged;
            }

            CompiledPromptPolicy compiled;
            try
            {
                compiled = Compile(content);
            }
            catch (PromptPolicyFormatException ex)
            {
                lastRejectedVersion = content.Version;
                LogRejected(logger, source.Description, content.Version, CurrentVersion, ex.Message);
                return PromptPolicyReloadResult.Rejected;
            }

            var previous = CurrentVersion;
            current = compiled;
            Volatile.Write(ref currentVersion, content.Version);
            lastRejectedVersion = null;
            LogReloaded(logger, source.Description, content.Version, compiled.Terms.Count, previous);
            return PromptPolicyReloadResult.Reloaded;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops the background reload loop (it ends at its next wait; a check under way finishes first).</summary>
    public void Dispose()
    {
        // Cancel only: the loop may still be registering on the token, and a source with no timer holds nothing to free.
        stopping.Cancel();
    }

    private CompiledPromptPolicy Compile(PromptPolicyContent content) =>
        CompiledPromptPolicy.Create(PromptPolicyDocumentParser.Parse(content.Utf8Json, source.Description), source.Description);

    private async Task ReloadLoopAsync(TimeSpan interval, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await ReloadIfChangedAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Unexpected (a bug, not a bad document): keep the loop, and the last good policy, alive.
                    LogReloadCheckFailed(logger, source.Description, CurrentVersion, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the host is stopping.
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Prompt policy loaded from {PolicySource}: version {PolicyVersion}, {TermCount} terms")]
    private static partial void LogLoaded(ILogger logger, string policySource, string policyVersion, int termCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Prompt policy reloaded from {PolicySource}: version {PolicyVersion}, {TermCount} terms (was {PreviousVersion})")]
    private static partial void LogReloaded(ILogger logger, string policySource, string policyVersion, int termCount, string previousVersion);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Prompt policy version {RejectedVersion} from {PolicySource} was rejected; keeping version {PolicyVersion}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string policySource, string rejectedVersion, string policyVersion, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Prompt policy source {PolicySource} could not be read; keeping version {PolicyVersion}")]
    private static partial void LogSourceUnavailable(ILogger logger, string policySource, string policyVersion, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Prompt policy reload check for {PolicySource} failed unexpectedly; keeping version {PolicyVersion}")]
    private static partial void LogReloadCheckFailed(ILogger logger, string policySource, string policyVersion, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Critical, Message = "Prompt policy could not be loaded from {PolicySource} at start-up")]
    private static partial void LogStartupFailed(ILogger logger, string policySource, Exception exception);
}
