using System.Text;

namespace BlazorRedis.Core.ScaleOut;

/// <summary>Names one running app instance: the machine, the process and a random suffix (two hosts in one process differ).</summary>
public static class InstanceName
{
    /// <summary>The longest name made: fits a stream consumer name and a hash field.</summary>
    public const int MaxLength = 64;

    /// <summary>A fresh name such as <c>web-2-4711-3f9a1c</c>: letters, digits, <c>-</c>, <c>_</c> and <c>.</c> only.</summary>
    public static string New()
    {
        var suffix = $"-{Environment.ProcessId}-{Random.Shared.Next(0x1000000):x6}";
        var machine = new StringBuilder();
        foreach (var c in Environment.MachineName)
        {
            machine.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        var head = machine.Length == 0 ? "app" : machine.ToString();
        return head[..Math.Min(head.Length, MaxLength - suffix.Length)] + suffix;
    }
}
