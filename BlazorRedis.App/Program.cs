using BlazorRedis.App.Hosting;

if (args is ["lint-lessons", var folder, .. var settings])
{
    // A teacher's check of their lesson folder, without starting the app: dotnet BlazorRedis.App.dll lint-lessons ./my-lessons
    // It reads the app's configuration (and any --Key=value after the folder) for the built-in course it links against.
    return LessonLintCommand.Run(folder, settings, Console.Out);
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddBlazorRedisApp();
    var app = builder.Build();
    app.UseBlazorRedisApp();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.TryDescribe(ex, out var message))
{
    // One clear line instead of a stack trace: the setting to fix or the package to install.
    await Console.Error.WriteLineAsync("BlazorRedis could not start: " + message);
    return 1;
}

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
