using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BlazorRedis.Tests.Core.Connection;

/// <summary>Runs the built app as a real process: the only honest way to prove "no orphan after a crash".</summary>
public partial class AppProcessTests
{
    [Fact]
    public async Task Killing_the_app_leaves_no_embedded_redis_behind()
    {
        using var app = StartApp(out var output);
        var pid = await WaitForRedisPidAsync(output, TimeSpan.FromSeconds(30));
        Assert.True(ProcessProbe.IsAlive(pid, TimeSpan.Zero));

        app.Kill(); // SIGKILL: no shutdown code runs in the app.
        await app.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.False(ProcessProbe.IsAlive(pid, TimeSpan.FromSeconds(15)), $"redis-server {pid} outlived the killed app");
    }

    [Fact]
    public async Task Sigterm_stops_the_app_and_its_embedded_redis()
    {
        using var app = StartApp(out var output);
        var pid = await WaitForRedisPidAsync(output, TimeSpan.FromSeconds(30));

        using (var kill = Process.Start("kill", ["-TERM", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await app.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.False(ProcessProbe.IsAlive(pid, TimeSpan.FromSeconds(15)));
        Assert.Contains(output.Lines, l => l.Contains("Embedded Redis on port", StringComparison.Ordinal) && l.Contains("stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_redis_server_stops_the_app_with_one_clear_line()
    {
        using var app = StartApp(out var output, ("Redis__Embedded__ServerPath", "/nonexistent/redis-server"));
        await app.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(1, app.ExitCode);
        var line = Assert.Single(output.ErrorLines, l => l.StartsWith("BlazorRedis could not start:", StringComparison.Ordinal));
        Assert.Contains("apt-get install -y redis-server", line, StringComparison.Ordinal);
        Assert.Contains("REDIS_URL", line, StringComparison.Ordinal);
        Assert.DoesNotContain(output.ErrorLines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_redis_url_stops_the_app_naming_the_setting_without_the_password()
    {
        using var app = StartApp(out var output, ("REDIS_URL", "http://user:hunter2@host:6379"));
        await app.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(1, app.ExitCode);
        var all = string.Join('\n', output.ErrorLines.Concat(output.Lines));
        Assert.Contains("REDIS_URL must start with redis://", all, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", all, StringComparison.Ordinal);
    }

    internal sealed class Output
    {
        public List<string> Lines { get; } = [];

        public List<string> ErrorLines { get; } = [];

        public string Text
        {
            get
            {
                lock (Lines)
                {
                    return string.Join('\n', Lines);
                }
            }
        }
    }

    internal static string AppDll()
    {
        // The test binary lives in BlazorRedis.Tests/bin/<Configuration>/net10.0/; the app was built beside it.
        var testDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testDir.Parent!.Name;
        var root = testDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "BlazorRedis.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var dll = Path.Combine(root.FullName, "BlazorRedis.App", "bin", configuration, "net10.0", "BlazorRedis.App.dll");
        Assert.True(File.Exists(dll), $"Build the app first: {dll}");
        return dll;
    }

    internal static Process StartApp(out Output output, params (string Name, string Value)[] environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppDll())!,
        };
        psi.ArgumentList.Add(AppDll());
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment.Remove("REDIS_URL");
        psi.Environment.Remove("ConnectionStrings__redis");
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        var process = Process.Start(psi)!;
        var captured = new Output();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (captured.Lines)
                {
                    captured.Lines.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (captured.ErrorLines)
                {
                    captured.ErrorLines.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = captured;
        return process;
    }

    internal static async Task<int> WaitForRedisPidAsync(Output output, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            var match = RedisPid().Match(output.Text);
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The app never logged its embedded Redis. Output:\n" + output.Text);
    }

    [GeneratedRegex(@"Embedded Redis started: redis-server pid (\d+)")]
    private static partial Regex RedisPid();
}
