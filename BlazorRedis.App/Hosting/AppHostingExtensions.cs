using BlazorRedis.App.Api;
using BlazorRedis.App.Classroom;
using BlazorRedis.App.Components.Navigation;
using BlazorRedis.App.Hubs;
using BlazorRedis.Core;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace BlazorRedis.App.Hosting;

/// <summary>Everything Program.cs composes, so Program.cs stays a few lines.</summary>
public static class AppHostingExtensions
{
    /// <summary>The largest request body the API accepts (bytes), unless <c>Api:MaxRequestBodyBytes</c> says otherwise.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// The largest message a browser may send the circuit (bytes). SignalR's default, 32 KB, is smaller than a field
    /// the app accepts (a 64 KB pub/sub message): past it the field's change was dropped without a word, and the next
    /// click acted on the value the field had before. 64 K characters, each escaped up to six bytes in JSON, fit.
    /// </summary>
    public const long CircuitMaxReceiveMessageBytes = 512 * 1024;

    /// <summary>Registers Core, MudBlazor, Blazor Server and the API's services.</summary>
    public static WebApplicationBuilder AddBlazorRedisApp(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddBlazorRedisCore(builder.Configuration);
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(o => o.MaximumReceiveMessageSize = CircuitMaxReceiveMessageBytes);
        services.AddScoped<Classroom.ClassPresenceState>();
        services.AddScoped<Classroom.CircuitConnection>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<Classroom.CircuitConnection>());
        services.AddScoped<Components.Shared.LearnerActivity>();
        services.AddMudServices();
        services.AddProblemDetails();

        // The API's description for tools (/openapi/v1.json): every endpoint with its summary, parameters and replies.
        services.AddOpenApi();
        services.AddMetricsHub(builder.Configuration);
        services.AddLearnerIdentity(builder.Configuration);
        services.AddClassroom(builder.Configuration);

        // No lesson needs a request body near Kestrel's 30 MB default; a 1 MiB cap turns abuse into a quick 413.
        var maxBody = builder.Configuration.GetValue("Api:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = maxBody);
        services.AddRateLimitApi();

        // A body or query the API cannot bind is the client's mistake: the binder throws, and UnreadableRequestProblems
        // answers 400/415 problem+json saying what is wrong and logs it at Debug, in every environment.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Strict numbers in every API body: the Web defaults read "requests": "5" as 5, so a string where a number belongs
        // ran a race instead of saying what is wrong. Now it is the 400 above, which names the field and the kind it takes.
        // No duplicate members either: {"name":"A","name":"B"} was read as "B" with a 200, though the client may have meant
        // "A". It is the 400 above too, naming the member (UnreadableRequestProblems.DuplicateMember).
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        return builder;
    }

    /// <summary>
    /// The learner cookie's protection (Data Protection, keys in the default key ring: see the README) and the
    /// proxies whose X-Forwarded-* headers are believed.
    /// </summary>
    private static void AddLearnerIdentity(this IServiceCollection services, ConfigurationManager configuration)
    {
        services.AddDataProtection().SetApplicationName("BlazorRedis");
        var scaleOut = configuration.GetSection(ScaleOutOptions.Section).Get<ScaleOutOptions>() ?? new ScaleOutOptions();
        if (scaleOut.DataProtectionInRedis)
        {
            // Every instance reads and writes one key ring in Redis, under the app's prefix: a cookie one instance
            // protected, another unprotects. The multiplexer is the app's own, resolved when the ring is first needed.
            services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
                .Configure<IServiceProvider>((o, sp) => o.XmlRepository = new Microsoft.AspNetCore.DataProtection.StackExchangeRedis.RedisXmlRepository(
                    () => sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase(),
                    sp.GetRequiredService<BlazorRedis.Core.Keys.RedisKeyspace>().Key("dataprotection", "keys")));
        }
        services.AddSingleton<LearnerTokens>();
        services.AddOptions<TrustedProxyOptions>().Bind(configuration.GetSection(TrustedProxyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustedProxyOptions>, TrustedProxyOptions.Validator>();

        // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true makes the host clear the trusted proxies in a PostConfigure of its
        // own (registered before this one): put back the configured ones, so a client cannot name its own address.
        services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<TrustedProxyOptions>>((o, trusted) => trusted.Value.ApplyTo(o));
    }

    /// <summary>The request pipeline: errors as problem+json, health, the learner cookie, static assets and the components.</summary>
    public static WebApplication UseBlazorRedisApp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();

        // HEAD on a page runs as GET without the body (before routing, which picks endpoints by method).
        app.Use(PageMethods.HeadAsGetAsync);
        app.UseWhen(
            ctx => !IsMachineEndpoint(ctx.Request.Path),
            branch =>
            {
                branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
                branch.Use(NotFoundPageFor404OnlyAsync);
            });

        // Machine callers get problem+json for every bodiless error too (405, 413, 415, a 400 from binding).
        app.UseWhen(ctx => IsMachineEndpoint(ctx.Request.Path), branch => branch.UseStatusCodePages());

        // Routing after the status-code pages, so a re-executed /not-found request is routed again.
        app.UseRouting();
        app.UseMiddleware<UnreadableRequestProblems>();
        app.Use(PageMethods.RefuseWritesAsync);
        app.UseMiddleware<ConnectionBudgetMiddleware>();
        app.UseMiddleware<ApiMethodNotAllowed>();
        app.UseMiddleware<JsonContentTypeGuard>();
        app.UseMiddleware<LearnerCookieMiddleware>();
        app.UseAntiforgery();
        app.UseRateLimiter();

        // A probe reads; DELETE, PUT or TRACE on /health get 405 with Allow (health checks map every method by default).
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .DisableHttpMetrics();
        app.MapOpenApi().WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head])).DisableHttpMetrics();
        app.MapBenchApi();
        app.MapRateLimitApi();
        app.MapCachingApi();
        app.MapStaticAssets();
        app.MapCacheStatsApi();
        app.MapMetricsHub();
        app.MapSessionApi();
        app.MapPubSubApi();
        app.MapClassroom();
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// API and health callers get status codes and problem+json, never the HTML not-found page. (The class is never
    /// brought to one: <see cref="Core.Classroom.ClassService.WhyLearnersCannotGoTo"/> reads the same list.)
    /// </summary>
    internal static bool IsMachineEndpoint(PathString path)
    {
        // Asked several times on every request (the branches, the learner cookie): an index loop, no closure or enumerator.
        var machine = Core.Classroom.ClassService.MachinePaths;
        for (var i = 0; i < machine.Count; i++)
        {
            if (path.StartsWithSegments(machine[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The not-found page answers a 404 alone: any other bodiless error (a 416 for a range past the end of a static file,
    /// say) keeps its own empty body instead of the HTML "Not found" page.
    /// </summary>
    private static async Task NotFoundPageFor404OnlyAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Response.StatusCode != StatusCodes.Status404NotFound
            && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
    }

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
