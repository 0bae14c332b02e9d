namespace BlazorRedis.App.Components.Shared.Charts;

/// <summary>
/// Finds what a live chart must send when its window only slid: the points newer than the last one drawn, per series.
/// Null when anything else changed (other series, older points, a gap), and the whole window must be sent.
/// </summary>
public static class ChartAppend
{
    public static IReadOnlyList<ChartSeriesData>? TryFresh(IReadOnlyList<ChartSeries>? drawn, IReadOnlyList<ChartSeries> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (drawn is null || drawn.Count != next.Count || next.Count == 0)
        {
            return null;
        }

        var fresh = new List<ChartSeriesData>(next.Count);
        for (var i = 0; i < next.Count; i++)
        {
            var (before, after) = (drawn[i], next[i]);
            if (before.Name != after.Name || before.Points.Count == 0 || after.Points.Count == 0)
            {
                return null;
            }

            var last = before.Points[^1];
            var start = after.Points.Count;
            while (start > 0 && after.Points[start - 1].Time > last.Time)
            {
                start--;
            }

            // The new window must still hold the last drawn point unchanged, and the points before it must be a tail of the drawn ones.
            var kept = start;
            if (kept == 0 || after.Points[kept - 1] != last || kept > before.Points.Count
                || after.Points[0] != before.Points[before.Points.Count - kept])
            {
                return null;
            }

            fresh.Add(new ChartSeriesData(after.Name, [.. after.Points.Skip(start).Select(p => new double?[] { p.Time.ToUnixTimeMilliseconds(), p.Value })]));
        }

        return fresh;
    }
}
