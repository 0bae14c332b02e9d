using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BlazorRedis.App.Classroom;

/// <summary>
/// Logs the teacher link once the server listens (as Jupyter prints its token link): whoever runs <c>./run.sh</c>
/// clicks it and has every control. A configured token is not logged, only where to use it.
/// </summary>
public sealed partial class TeacherLinkAnnouncer(
    TeacherAccess access, IServer server, IHostApplicationLifetime lifetime, ILogger<TeacherLinkAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Announce);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Announce()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
        address = address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).TrimEnd('/');
        if (access.IsConfigured)
        {
            LogConfigured(logger, $"{address}{TeacherAccess.ClaimPath}?token=…");
        }
        else
        {
            LogLink(logger, address + access.LinkPath);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Teacher link (open it once, in the teacher's browser): {Link}")]
    private static partial void LogLink(ILogger logger, string link);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teacher link: {Link} with the token of Classroom:TeacherToken")]
    private static partial void LogConfigured(ILogger logger, string link);
}
