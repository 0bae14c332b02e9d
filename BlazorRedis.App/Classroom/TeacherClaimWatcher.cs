using StackExchange.Redis;

namespace BlazorRedis.App.Classroom;

/// <summary>
/// Keeps this instance's memory of the teacher link's claim and Redis in step (<see cref="TeacherAccess.LookAsync"/>):
/// at start (warning when a configured token has no trace in Redis), every <see cref="TeacherAccess.LookInterval"/>,
/// and at once when the connection to Redis comes back, since a Redis that restarted may have come back empty.
/// </summary>
public sealed partial class TeacherClaimWatcher(TeacherAccess access, IServiceProvider services, TimeProvider time, ILogger<TeacherClaimWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var multiplexer = services.GetService<IConnectionMultiplexer>();
        if (multiplexer is null)
        {
            return;
        }

        void OnRestored(object? sender, ConnectionFailedEventArgs e) => _ = LookAsync(atStart: false);
        multiplexer.ConnectionRestored += OnRestored;
        try
        {
            // The start-up check waits for the first look that reaches Redis (it may be away at start).
            var started = await LookAsync(atStart: true).ConfigureAwait(false);
            using var timer = new PeriodicTimer(TeacherAccess.LookInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                started = await LookAsync(atStart: !started).ConfigureAwait(false) || started;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            multiplexer.ConnectionRestored -= OnRestored;
        }
    }

    private async Task<bool> LookAsync(bool atStart)
    {
        try
        {
            await access.LookAsync(atStart).ConfigureAwait(false);
            return true;
        }
        catch (RedisException ex)
        {
            // Redis is away (or still loading): the next look tries again.
            LogSkipped(logger, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Teacher link claim look skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reason);
}
