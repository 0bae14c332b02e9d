using BlazorRedis.App.Hosting;

if (args is ["lint-lessons", var folder])
{
    // A teacher's check of their lesson folder, without starting the app: dotnet BlazorRedis.App.dll lint-lessons ./my-lessons
    return LessonLintCommand.Run(folder, Console.Out);
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
