using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Worker.Functions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Hosting;

/// <summary>
/// Drives the worker's queue functions without the Functions host (the in-process local runner, where Core Tools are not
/// installed): receives one message at a time from the generation queue and calls <see cref="ProcessGenerationFunction"/>
/// with it, exactly as the host's queue trigger does with <c>batchSize</c> 1. Like the host it deletes the message when
/// the function returns, makes it visible again after <see cref="InProcessQueueListenerOptions.RetryDelay"/> when it throws,
/// and moves it to <c>{queue}-poison</c> after <see cref="WorkerOptions.MaxDequeueCount"/> failed deliveries; poison messages
/// go to <see cref="GenerationPoisonFunction"/>.
/// </summary>
/// <remarks>
/// No message stops it. As in the host, a generation message that is not valid base64 is moved to the poison queue
/// before any function sees it; a poison message that is not valid base64, or whose handling keeps failing, is deleted
/// with an error log line holding its text. A failed poll (storage unreachable) is logged, reported by
/// <see cref="Health"/>, and retried after the idle back-off; only cancellation ends <see cref="RunAsync"/>.
/// </remarks>
public sealed class InProcessQueueListener
{
    private const int MaxLoggedMessageLength = 512;

    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly ProcessGenerationFunction _process;
    private readonly GenerationPoisonFunction _poisonHandler;
    private readonly InProcessQueueListenerOptions _options;
    private readonly int _maxDequeueCount;
    private readonly TimeProvider _time;
    private readonly ILogger<InProcessQueueListener> _logger;
    private readonly (IInProcessQueueFunction Function, QueueClient Queue, QueueClient Poison)[] _others;
    private readonly Lock _healthLock = new();
    private readonly TaskCompletionSource _firstPoll = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private QueueListenerHealth _health = new(QueueListenerState.NotStarted, 0, null, null);
    private int _undecodable;
    private int _rounds;

    /// <summary>Creates the listener over the queues named in <paramref name="storage"/>.</summary>
    public InProcessQueueListener(
        StorageClientFactory clients,
        IOptions<DiffusionStorageOptions> storage,
        IOptions<WorkerOptions> worker,
        ProcessGenerationFunction process,
        GenerationPoisonFunction poisonHandler,
        InProcessQueueListenerOptions options,
        TimeProvider time,
        ILogger<InProcessQueueListener> logger,
        IEnumerable<IInProcessQueueFunction>? others = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(worker);
        // The listener's own clients: same account and encoding as the app's, plus a handler for undecodable messages,
        // which the SDK would otherwise turn into a FormatException from every receive while the message exists.
        var clientOptions = new QueueClientOptions();
        clientOptions.MessageDecodingFailed += OnMessageDecodingFailedAsync;
        var queueService = clients.CreateQueueServiceClient(clientOptions);
        _queue = queueService.GetQueueClient(storage.Value.GenerationQueue);
        _poison = queueService.GetQueueClient(storage.Value.PoisonQueue);
        _process = process;
        _poisonHandler = poisonHandler;
        _options = options;
        _maxDequeueCount = worker.Value.MaxDequeueCount;
        _time = time;
        _logger = logger;
        _others = [.. (others ?? []).Select(f => (f, queueService.GetQueueClient(f.QueueName), queueService.GetQueueClient(f.QueueName + "-poison")))];
    }

    /// <summary>The listener's current health (state, failures in a row, last error).</summary>
    public QueueListenerHealth Health
    {
        get
        {
            lock (_healthLock)
            {
                return _health;
            }
        }
    }

    /// <summary>Completes when <see cref="RunAsync"/> has finished its first poll, so <see cref="Health"/> says something.</summary>
    public Task FirstPollCompleted => _firstPoll.Task;

    /// <summary>
    /// Polls both queues until <paramref name="cancellationToken"/> is cancelled, backing off to the polling interval when
    /// idle or failing. Nothing but cancellation ends it.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var idleDelay = TimeSpan.FromMilliseconds(100);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                bool worked;
                try
                {
                    worked = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
                    RecordPoll(error: null);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    RecordPoll(ex);
                    _logger.LogError(ex, "Polling the queues failed ({Failures} in a row); trying again", Health.ConsecutiveFailures);
                    worked = false;
                }

                if (worked)
                {
                    idleDelay = TimeSpan.FromMilliseconds(100);
                    continue;
                }

                try
                {
                    await Task.Delay(idleDelay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                idleDelay = TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, _options.MaxPollingInterval.Ticks));
            }
        }
        finally
        {
            lock (_healthLock)
            {
                _health = _health with { State = QueueListenerState.Stopped };
            }

            _firstPoll.TrySetResult();
        }
    }

    /// <summary>
    /// Handles at most one generation message, one poison message and one message of each other queue function
    /// (<see cref="IInProcessQueueFunction"/>: workflow upload events); true when there was one.
    /// </summary>
    public async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        var generation = await PollGenerationOnceAsync(cancellationToken).ConfigureAwait(false);
        var poison = await PollPoisonOnceAsync(cancellationToken).ConfigureAwait(false);
        var other = false;
        // While generation messages keep coming the other queues are polled every 8th round, not every round: each empty
        // receive is a storage round trip per job. Upload events wait a few jobs at most.
        if (!(generation || poison) || ++_rounds % 8 == 0)
        {
            foreach (var (function, queue, poisonQueue) in _others)
            {
                other |= await PollOtherOnceAsync(function, queue, poisonQueue, cancellationToken).ConfigureAwait(false);
            }
        }

        return generation || poison || other;
    }

    /// <summary>
    /// Delivers at most one message of another queue function, with the host's semantics: deleted when the function
    /// returns, visible again after the retry delay when it throws, moved to <c>{queue}-poison</c> after the last delivery.
    /// </summary>
    private async Task<bool> PollOtherOnceAsync(IInProcessQueueFunction function, QueueClient queue, QueueClient poison, CancellationToken cancellationToken)
    {
        var message = (await queue.ReceiveMessageAsync(_options.Lease, cancellationToken).ConfigureAwait(false)).Value;
        if (message is null)
        {
            return false;
        }

        try
        {
            await function.HandleAsync(message, cancellationToken).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= _maxDequeueCount)
            {
                _logger.LogError(ex, "Message {MessageId} of {Queue} failed delivery {DequeueCount} of {Max}; moving it to {Poison}",
                    message.MessageId, queue.Name, message.DequeueCount, _maxDequeueCount, poison.Name);
                await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _logger.LogWarning(ex, "Message {MessageId} of {Queue} failed delivery {DequeueCount} of {Max}; retrying after {Delay}",
                    message.MessageId, queue.Name, message.DequeueCount, _maxDequeueCount, _options.RetryDelay);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _options.RetryDelay, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <summary>Delivers at most one generation message to <see cref="ProcessGenerationFunction"/>; true when there was one.</summary>
    public async Task<bool> PollGenerationOnceAsync(CancellationToken cancellationToken)
    {
        var undecodableBefore = Volatile.Read(ref _undecodable);
        var message = (await _queue.ReceiveMessageAsync(_options.Lease, cancellationToken).ConfigureAwait(false)).Value;
        if (message is null)
        {
            return Volatile.Read(ref _undecodable) != undecodableBefore;
        }

        await DeliverAsync(message, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Delivers at most one poison message to <see cref="GenerationPoisonFunction"/>; true when there was one.</summary>
    public async Task<bool> PollPoisonOnceAsync(CancellationToken cancellationToken)
    {
        var undecodableBefore = Volatile.Read(ref _undecodable);
        var poisoned = (await _poison.ReceiveMessageAsync(_options.Lease, cancellationToken).ConfigureAwait(false)).Value;
        if (poisoned is null)
        {
            return Volatile.Read(ref _undecodable) != undecodableBefore;
        }

        try
        {
            await _poisonHandler.FailPoisonedGeneration(poisoned, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (poisoned.DequeueCount < _maxDequeueCount)
            {
                _logger.LogWarning(ex, "Poison message {MessageId} failed handling {DequeueCount} of {Max}; retrying after {Delay}",
                    poisoned.MessageId, poisoned.DequeueCount, _maxDequeueCount, _options.RetryDelay);
                await _poison.UpdateMessageAsync(poisoned.MessageId, poisoned.PopReceipt, visibilityTimeout: _options.RetryDelay, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                return true;
            }

            _logger.LogError(ex, "Poison message {MessageId} failed handling {DequeueCount} times; deleted. Its text: {MessageText}",
                poisoned.MessageId, poisoned.DequeueCount, Shorten(poisoned.Body.ToString()));
        }

        await _poison.DeleteMessageAsync(poisoned.MessageId, poisoned.PopReceipt, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task DeliverAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await _process.ProcessGeneration(message, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Message {MessageId}: {Outcome}", message.MessageId, outcome);
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= _maxDequeueCount)
            {
                _logger.LogError(ex, "Message {MessageId} failed delivery {DequeueCount} of {Max}; moving it to {Poison}",
                    message.MessageId, message.DequeueCount, _maxDequeueCount, _poison.Name);
                await _poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _logger.LogWarning(ex, "Message {MessageId} failed delivery {DequeueCount} of {Max}; retrying after {Delay}",
                    message.MessageId, message.DequeueCount, _maxDequeueCount, _options.RetryDelay);
                await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _options.RetryDelay, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A message that is not base64 (the SDK calls this instead of returning it). On the generation queue it moves to the
    /// poison queue, as the Functions host's queue extension does; on the poison queue it is deleted. Either way one error
    /// line holds its text.
    /// </summary>
    private async Task OnMessageDecodingFailedAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } received)
        {
            return; // a peek: nothing to move
        }

        Interlocked.Increment(ref _undecodable);
        var text = Shorten(received.Body.ToString());
        var cancellationToken = args.CancellationToken;
        if (args.Queue.Name == _poison.Name)
        {
            _logger.LogError("Poison message {MessageId} is not valid base64; deleted. Its text: {MessageText}", received.MessageId, text);
        }
        else
        {
            _logger.LogError("Message {MessageId} is not valid base64; moving it to {Poison}. Its text: {MessageText}", received.MessageId, _poison.Name, text);
            try
            {
                await _poison.SendMessageAsync(received.Body.ToString(), cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is >= 400 and < 500)
            {
                // Too large once encoded, for example: the service will never take it, so it is only deleted (logged above).
                _logger.LogError(ex, "Message {MessageId} could not be moved to {Poison}; deleted", received.MessageId, _poison.Name);
            }
        }

        await args.Queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, cancellationToken).ConfigureAwait(false);
    }

    private void RecordPoll(Exception? error)
    {
        var now = _time.GetUtcNow();
        lock (_healthLock)
        {
            _health = error is null
                ? new QueueListenerHealth(QueueListenerState.Listening, 0, null, now)
                : new QueueListenerHealth(QueueListenerState.Failing, _health.ConsecutiveFailures + 1, $"{error.GetType().Name}: {Shorten(error.Message)}", now);
        }

        _firstPoll.TrySetResult();
    }

    private static string Shorten(string text) =>
        text.Length <= MaxLoggedMessageLength ? text : string.Concat(text.AsSpan(0, MaxLoggedMessageLength), "…");
}
