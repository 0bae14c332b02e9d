using BlazorRedis.App.Api;
using BlazorRedis.App.Components.Navigation;
using BlazorRedis.Core;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MudBlazor.Services;

namespace BlazorRedis.App.Hosting;

/// <summary>Everything Program.cs composes, so Program.cs stays a few lines.</summary>
public static class AppHostingExtensions
{
    /// <summary>Registers Core, MudBlazor, Blazor Server and the API's services.</summary>
    public static WebApplicationBuilder AddBlazorRedisApp(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddBlazorRedisCore(builder.Configuration);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddProblemDetails();
        services.AddSingleton<DemoComponentRegistry>();
        return builder;
    }

    /// <summary>The request pipeline: errors as problem+json, health, the learner cookie, static assets and the components.</summary>
    public static WebApplication UseBlazorRedisApp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseWhen(
            ctx => !IsMachineEndpoint(ctx.Request.Path),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseMiddleware<LearnerCookieMiddleware>();
        app.UseAntiforgery();

        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync }).DisableHttpMetrics();
        app.MapCachingApi();
        app.MapStaticAssets();
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>API and health callers get status codes and problem+json, never the HTML not-found page.</summary>
    internal static bool IsMachineEndpoint(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/hubs");

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (report.Status == HealthStatus.Healthy)
        {
            return context.Response.WriteAsync("Healthy");
        }

        var reasons = string.Join("; ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Status.ToString()}"));
        return context.Response.WriteAsync($"{report.Status}: {reasons}");
    }
}
