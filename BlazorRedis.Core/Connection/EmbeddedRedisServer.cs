using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorRedis.Core.Connection;

/// <summary>
/// A redis-server child process bound to a loopback port, owned by this process.
/// </summary>
/// <remarks>
/// The server runs under a tiny <c>/bin/sh</c> watchdog that polls this process's PID: if the app dies
/// without disposing (SIGKILL, crash), the watchdog stops Redis within half a second, so no orphan is left.
/// Ctrl+C reaches the whole process group and the app disposes the server on the normal shutdown path.
/// </remarks>
public sealed class EmbeddedRedisServer : IDisposable
{
    // $1 = app pid, remaining args = the redis-server command line. Background jobs of a non-interactive
    // shell ignore SIGINT, so Redis stops only through this script or an explicit signal to its pid.
    private const string WatchdogScript = """
        app=$1; shift
        "$@" &
        child=$!
        echo "redis-pid $child"
        trap 'kill -TERM $child 2>/dev/null; wait $child; exit 0' TERM INT HUP
        while kill -0 "$app" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.5; done
        kill -TERM "$child" 2>/dev/null
        wait "$child"
        """;

    private readonly Process _watchdog;
    private readonly bool _deleteDirectory;
    private readonly ILogger _logger;
    private int _disposed;

    private EmbeddedRedisServer(Process watchdog, int port, int serverProcessId, string directory, bool deleteDirectory, ILogger logger)
    {
        _watchdog = watchdog;
        Port = port;
        ServerProcessId = serverProcessId;
        WorkingDirectory = directory;
        _deleteDirectory = deleteDirectory;
        _logger = logger;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The PID of redis-server itself (not of its watchdog).</summary>
    public int ServerProcessId { get; }

    /// <summary>The server's working folder (its <c>--dir</c>).</summary>
    public string WorkingDirectory { get; }

    /// <summary><c>127.0.0.1:port</c>, ready for a StackExchange.Redis connection string.</summary>
    public string EndPoint => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>True while the redis-server process is alive.</summary>
    public bool IsRunning => IsProcessAlive(ServerProcessId);

    /// <summary>Finds the executable named by <paramref name="serverPath"/>, or null.</summary>
    public static string? Locate(string serverPath)
    {
        if (string.IsNullOrWhiteSpace(serverPath))
        {
            return null;
        }

        if (serverPath.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(serverPath) ? Path.GetFullPath(serverPath) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/usr/sbin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(dir, serverPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts a server and waits until it answers PING.</summary>
    /// <exception cref="RedisServerNotFoundException">No redis-server binary was found.</exception>
    public static async Task<EmbeddedRedisServer> StartAsync(EmbeddedRedisOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        var executable = Locate(options.ServerPath) ?? throw new RedisServerNotFoundException(options.ServerPath);

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = options.Port > 0 ? options.Port : FreeLoopbackPort();
            try
            {
                return await StartOnceAsync(executable, port, options, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (options.Port == 0)
            {
                // Another process took the port between our probe and redis-server's bind: try a new one.
                last = ex;
            }
        }

        throw new IOException("redis-server did not start after 3 attempts.", last);
    }

    /// <summary>Returns a port that was free on 127.0.0.1 a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<EmbeddedRedisServer> StartOnceAsync(string executable, int port, EmbeddedRedisOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var deleteDirectory = !options.Persistent || string.IsNullOrWhiteSpace(options.DataDirectory);
        var directory = deleteDirectory
            ? Directory.CreateTempSubdirectory("blazorredis-redis-").FullName
            : Path.GetFullPath(options.DataDirectory!);
        Directory.CreateDirectory(directory);

        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(WatchdogScript);
        psi.ArgumentList.Add("blazorredis-redis-watchdog");
        psi.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(executable);
        foreach (var arg in BuildArguments(port, directory, options))
        {
            psi.ArgumentList.Add(arg);
        }

        var watchdog = Process.Start(psi) ?? throw new IOException("Could not start /bin/sh for redis-server.");
        var pidLine = await watchdog.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "";
        watchdog.StandardOutput.Close();
        _ = watchdog.StandardError.ReadToEndAsync(CancellationToken.None);
        if (!pidLine.StartsWith("redis-pid ", StringComparison.Ordinal)
            || !int.TryParse(pidLine.AsSpan("redis-pid ".Length), CultureInfo.InvariantCulture, out var serverPid))
        {
            watchdog.Kill(entireProcessTree: true);
            throw new IOException("redis-server watchdog did not report the server's PID.");
        }

        var server = new EmbeddedRedisServer(watchdog, port, serverPid, directory, deleteDirectory, logger);
        try
        {
            await server.WaitForPongAsync(TimeSpan.FromSeconds(Math.Max(1, options.StartTimeoutSeconds)), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            var log = server.ReadLogTail();
            server.Dispose();
            throw new IOException($"redis-server on port {port} did not answer PING. Its log says: {log}");
        }

        logger.LogInformation(
            "Embedded Redis started: redis-server pid {Pid} on 127.0.0.1:{Port}, folder {Directory} ({Persistence})",
            serverPid, port, directory, options.Persistent ? "persistent" : "no persistence");
        return server;
    }

    private static List<string> BuildArguments(int port, string directory, EmbeddedRedisOptions options)
    {
        var args = new List<string>
        {
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--protected-mode", "yes",
            "--daemonize", "no",
            "--dir", directory,
            "--logfile", "redis.log",
        };
        if (options.Persistent)
        {
            args.AddRange(["--appendonly", "yes", "--save", ""]);
        }
        else
        {
            args.AddRange(["--appendonly", "no", "--save", ""]);
        }

        args.AddRange(options.ExtraArguments);
        return args;
    }

    private async Task WaitForPongAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_watchdog.HasExited || !IsRunning)
            {
                throw new IOException("redis-server exited during start.");
            }

            if (await PingAsync(Port, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException("redis-server did not answer PING in time.");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a raw RESP PING to a loopback port and reports whether PONG came back.</summary>
    public static async Task<bool> PingAsync(int port, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, cts.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cts.Token).ConfigureAwait(false);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private string ReadLogTail()
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(WorkingDirectory, "redis.log"));
            return string.Join(" | ", lines.TakeLast(3)).Trim();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Stops redis-server (SIGTERM, then SIGKILL after 5 s) and removes a temporary folder.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (!_watchdog.HasExited)
            {
                // TERM to the watchdog runs its trap, which stops Redis cleanly and waits for it.
                using var kill = Process.Start("kill", ["-TERM", _watchdog.Id.ToString(CultureInfo.InvariantCulture)]);
                kill?.WaitForExit(2000);
                if (!_watchdog.WaitForExit(5000))
                {
                    _watchdog.Kill(entireProcessTree: true);
                }
            }

            if (IsRunning)
            {
                Process.GetProcessById(ServerProcessId).Kill();
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or ArgumentException)
        {
            _logger.LogDebug(ex, "Embedded Redis was already gone");
        }
        finally
        {
            _watchdog.Dispose();
        }

        if (_deleteDirectory)
        {
            try
            {
                Directory.Delete(WorkingDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is not worth failing shutdown over: it lives under /tmp.
            }
        }

        _logger.LogInformation("Embedded Redis on port {Port} stopped", Port);
    }

    private static bool IsProcessAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }

            // A zombie is dead for our purposes: /proc/<pid>/stat's third field is 'Z'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] != 'Z';
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }
}
