using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlazorRedis.App.Classroom;

/// <summary>
/// Whether this circuit's browser is connected now. A circuit outlives its browser (a closed laptop, a dropped
/// Wi-Fi) by minutes while the server waits for it to reconnect; work the server does on the browser's behalf, such as
/// the class presence heartbeat, pauses while the connection is down so the teacher sees the learner go offline.
/// One per circuit (scoped), registered as the circuit's <see cref="CircuitHandler"/>.
/// </summary>
public sealed class CircuitConnection : CircuitHandler
{
    private volatile bool _up = true;

    /// <summary>False from the moment the browser's connection drops until it reconnects.</summary>
    public bool IsUp => _up;

    /// <summary>Raised when a dropped connection comes back.</summary>
    public event Action? CameBack;

    /// <inheritdoc/>
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _up = false;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var wasDown = !_up;
        _up = true;
        if (wasDown)
        {
            CameBack?.Invoke();
        }

        return Task.CompletedTask;
    }
}
