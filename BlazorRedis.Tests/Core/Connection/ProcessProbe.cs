using System.Diagnostics;

namespace BlazorRedis.Tests.Core.Connection;

/// <summary>Whether a PID is a live process (zombies count as dead), waiting a little for it to go.</summary>
internal static class ProcessProbe
{
    public static bool IsAlive(int pid, TimeSpan? waitForExit = null)
    {
        var deadline = Stopwatch.StartNew();
        var wait = waitForExit ?? TimeSpan.FromSeconds(15);
        while (true)
        {
            var alive = IsRunningNow(pid);
            if (!alive || deadline.Elapsed > wait)
            {
                return alive;
            }

            Thread.Sleep(50);
        }
    }

    private static bool IsRunningNow(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Split(')').Last().TrimStart().StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
