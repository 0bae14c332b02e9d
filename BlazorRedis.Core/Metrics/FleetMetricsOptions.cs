using System.ComponentModel.DataAnnotations;
using BlazorRedis.Core.ScaleOut;

namespace BlazorRedis.Core.Metrics;

/// <summary>Metrics across several app instances on one Redis. Bound from <c>ScaleOut</c>.</summary>
public sealed class FleetMetricsOptions
{
    /// <summary>
    /// Each instance writes its per-second numbers to one hash under the prefix (<c>metrics:fleet</c>, a field per
    /// instance) and reads everyone's, so the stats API and the live page show the whole fleet. Off: this instance only,
    /// no Redis command.
    /// </summary>
    public bool FleetMetrics { get; set; }

    /// <summary>This instance's name in the fleet. Default: machine name, process id and a random suffix, new at each start.</summary>
    [RegularExpression(@"^[A-Za-z0-9_\-\.]{1,64}$", ErrorMessage = "ScaleOut:InstanceId may hold 1-64 letters, digits, _ - or .")]
    public string InstanceId { get; set; } = InstanceName.New();

    /// <summary>An instance that published nothing for this many seconds is left out of the fleet (stopped or stuck). Default 5.</summary>
    [Range(2, 600, ErrorMessage = "ScaleOut:FleetAliveSeconds must be between 2 and 600.")]
    public int FleetAliveSeconds { get; set; } = 5;
}
