using System.ComponentModel.DataAnnotations;
using BlazorRedis.App.Api;
using BlazorRedis.App.Hosting;
using BlazorRedis.Core;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorRedis.App.Classroom;

/// <summary>The answer of <c>POST /api/classroom/reset-learner-keys</c>.</summary>
public sealed record ResetLearnerKeysResponse(long Deleted);

/// <summary>The body of <c>POST /api/classroom/join</c>.</summary>
public sealed record JoinClassRequest(string? Code, string? Nickname);

/// <summary>The body of <c>POST /api/classroom/class/pause</c>: <c>{"paused": true}</c> or false; without it the request is refused.</summary>
public sealed record PauseClassRequest(bool? Paused);

/// <summary>The body of <c>POST /api/classroom/class/bring</c>: the local path every learner's browser goes to.</summary>
public sealed record BringEveryoneRequest(string? Path);

/// <summary>The body of <c>PUT /api/classroom/class/learners/{learner}/nickname</c>.</summary>
public sealed record RenameLearnerRequest(string? Nickname);

/// <summary>The answer of a rename.</summary>
public sealed record RenameLearnerResponse(string Learner, string Nickname);

/// <summary>The body of <c>POST /api/classroom/class/polls</c>.</summary>
public sealed record PushPollRequest(string? Question, IReadOnlyList<string?>? Options, bool Multiple);

/// <summary>The body of <c>POST /api/classroom/class/polls/{id}/reveal</c>.</summary>
public sealed record RevealPollRequest(IReadOnlyList<int>? Correct);

/// <summary>The body of <c>POST /api/classroom/class/channel</c> (the teacher's message) and <c>POST /api/classroom/channel</c> (a learner's).</summary>
public sealed record ChannelPostRequest(string? Text);

/// <summary>The body of <c>POST /api/classroom/polls/{id}/answer</c>: the picked option indexes.</summary>
public sealed record AnswerPollRequest(IReadOnlyList<int>? Choices);

/// <summary>The body of <c>POST /api/classroom/class/stampedes</c>: "none" or "lock", and the window in seconds (2–60).</summary>
public sealed record ArmStampedeRequest(string? Protection, [property: Range(ClassStampede.MinWindowSeconds, ClassStampede.MaxWindowSeconds)] int? WindowSeconds);

/// <summary>A class stampede round as the API shows it.</summary>
public sealed record ClassStampedeRoundResponse(
    string Id, string Protection, DateTimeOffset ArmedAt, DateTimeOffset ClosesAt, long Readers, long DatabaseLoads, int LockWaits, double WaitP50Ms, double WaitMaxMs, IReadOnlyList<ClassStampedeRead> Reads)
{
    /// <summary>The response for <paramref name="round"/>.</summary>
    public static ClassStampedeRoundResponse From(ClassStampedeRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        return new(round.Id, ClassStampede.Name(round.Protection), round.ArmedAt, round.ClosesAt, round.Readers, round.DatabaseLoads, round.LockWaits, round.WaitP50Ms, round.WaitMaxMs, round.Reads);
    }
}

/// <summary>The teacher link and the teacher's class-wide API.</summary>
public static class ClassroomEndpoints
{
    /// <summary>The teacher's access, its settings (validated at start) and the start-up link in the log.</summary>
    public static IServiceCollection AddClassroom(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClassroomOptions>().Bind(configuration.GetSection(ClassroomOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClassroomOptions>, ClassroomOptions.Validator>();
        services.AddSingleton<TeacherAccess>();
        services.AddHostedService<TeacherLinkAnnouncer>();
        services.AddHostedService<TeacherClaimWatcher>();
        return services;
    }

    public static IEndpointRouteBuilder MapClassroom(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(TeacherAccess.ClaimPath, ClaimTeacher).AddEndpointFilter<RedisFailureFilter>().ExcludeFromDescription();
        endpoints.MapGroup("/api/classroom").WithTags("Classroom").AddEndpointFilter<RedisFailureFilter>().RequireTeacher()
            .MapPost("/reset-learner-keys", ResetLearnerKeysAsync)
            .WithName("ResetEveryLearnersKeys")
            .WithSummary("Deletes every learner's demo, lab and workbench keys; their course progress and quiz answers stay (teacher only).")
            .DisableAntiforgery();

        var teacher = endpoints.MapGroup("/api/classroom/class").WithTags("Classroom").AddEndpointFilter<RedisFailureFilter>().RequireTeacher().DisableAntiforgery();
        teacher.MapPost("/", OpenClassAsync).WithName("OpenClass").WithSummary("Opens a class, or returns the open one (teacher only).");
        teacher.MapGet("/roster", RosterAsync).WithName("ClassRoster").WithSummary("The open class's roster with presence, page and last action (teacher only).");
        teacher.MapDelete("/learners/{learner}", RemoveLearnerAsync).WithName("RemoveLearner").WithSummary("Removes a learner from the open class (teacher only).");
        teacher.MapDelete("/", CloseClassAsync).WithName("CloseClass").WithSummary("Closes the open class (teacher only).");
        teacher.MapPost("/pause", PauseAsync).WithName("PauseClass").WithSummary("Pauses or resumes the open class: an overlay on every learner's screen while paused (teacher only).");
        teacher.MapPost("/bring", BringAsync).WithName("BringEveryone").WithSummary("Sends every learner's browser to a page of this app (teacher only).");
        teacher.MapPut("/learners/{learner}/nickname", RenameAsync).WithName("RenameLearner").WithSummary("Renames a learner of the open class (teacher only).");
        teacher.MapPost("/polls", PushPollAsync).WithName("PushPoll").WithSummary("Pushes a poll (2 to 6 options) to every learner; an open poll before it closes (teacher only).");
        teacher.MapGet("/polls", ListPollsAsync).WithName("ClassPolls").WithSummary("The open class's polls with their counts, newest first (teacher only).");
        teacher.MapPost("/polls/{id}/close", ClosePollAsync).WithName("ClosePoll").WithSummary("Closes a poll: no more answers (teacher only).");
        teacher.MapPost("/polls/{id}/reveal", RevealPollAsync).WithName("RevealPoll").WithSummary("Reveals a poll's right answer and closes it (teacher only).");
        teacher.MapGet("/leaderboard", LeaderboardAsync).WithName("ClassLeaderboard").WithSummary("The open class's top 10 learners by actions run (teacher only).");
        teacher.MapDelete("/leaderboard", ResetLeaderboardAsync).WithName("ResetLeaderboard").WithSummary("Empties the open class's leaderboard (teacher only).");
        teacher.MapPost("/channel", TeacherPostAsync).WithName("TeacherPost").WithSummary("Posts the teacher's message on the class channel, highlighted for everyone (teacher only).");
        teacher.MapPut("/learners/{learner}/mute", MuteAsync).WithName("MuteLearner").WithSummary("Mutes a learner on the class channel: their posts are refused (teacher only).");
        teacher.MapDelete("/learners/{learner}/mute", UnmuteAsync).WithName("UnmuteLearner").WithSummary("Lets a muted learner post again (teacher only).");

        teacher.MapPost("/stampedes", ArmStampedeAsync).WithName("ArmClassStampede").WithSummary("Arms a class stampede round: a cold key of the class, none or the lock, a window of 2–60 s (teacher only).");
        teacher.MapGet("/stampedes", ListStampedesAsync).WithName("ClassStampedes").WithSummary("The open class's stampede rounds with readers, database loads and waits, newest first (teacher only).");

        endpoints.MapPost("/api/classroom/stampedes/{id}/read", ReadStampedeAsync).WithTags("Classroom").AddEndpointFilter<RedisFailureFilter>()
            .WithName("ReadClassStampede")
            .WithSummary("A learner of the class reads the round's cold key, once, within its window; returns their measured wait.")
            .DisableAntiforgery();

        endpoints.MapPost("/api/classroom/polls/{id}/answer", AnswerPollAsync).WithTags("Classroom").AddEndpointFilter<RedisFailureFilter>()
            .WithName("AnswerPoll")
            .WithSummary("A learner of the class answers its open poll, once.")
            .DisableAntiforgery();

        endpoints.MapPost("/api/classroom/channel", LearnerPostAsync).WithTags("Classroom").AddEndpointFilter<RedisFailureFilter>()
            .WithName("LearnerPost")
            .WithSummary("A learner of the class posts on its channel (rate-limited per learner; refused while muted).")
            .DisableAntiforgery();

        endpoints.MapGet("/api/classroom/channel", ChannelHistoryAsync).WithTags("Classroom").AddEndpointFilter<RedisFailureFilter>()
            .WithName("ClassChannelHistory")
            .WithSummary("The class channel's last messages, oldest first, for a learner of the class (or the teacher).");

        endpoints.MapPost("/api/classroom/join", JoinAsync).WithTags("Classroom").AddEndpointFilter<RedisFailureFilter>()
            .WithName("JoinClass")
            .WithSummary("Joins a class by its code with a nickname (a suggested one when empty). Rate-limited per client address.")
            .DisableAntiforgery();
        return endpoints;
    }

    /// <summary>
    /// Opens the teacher link: the right token makes this browser the teacher and goes to <c>/teacher</c>; a wrong,
    /// used or earlier token gets 403 and changes nothing (logged at Debug: a guess is not an error of the app).
    /// </summary>
    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> ClaimTeacher(HttpContext context, TeacherAccess access, ILoggerFactory loggers, string? token)
    {
        if (LearnerCookieMiddleware.Get(context) is not { } learner || !await access.TryClaimAsync(token))
        {
            loggers.CreateLogger(typeof(ClassroomEndpoints)).LogDebug("A teacher link with a wrong or spent token was refused.");
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "This teacher link does not work.",
                detail: "It is wrong, was already opened once (on any instance of the app, before a restart too), or belongs to an earlier start of the app. The console of the app shows the current link.");
        }

        access.Issue(context, learner);
        return TypedResults.Redirect("/teacher");
    }

    /// <summary>
    /// A learner joins: 200 with the membership; 400 for a malformed code or a bad or taken nickname; 404 for a code of no
    /// open class; 429 with Retry-After for too many attempts from one address. Nothing is logged above Debug.
    /// </summary>
    private static async Task<Results<Ok<ClassMembership>, ProblemHttpResult>> JoinAsync(HttpContext context, JoinClassRequest? body, ClassService classes, LearnerTokens tokens)
    {
        var learner = LearnerCookieMiddleware.Get(context) ?? NewLearner(context, tokens);
        try
        {
            var joined = await classes.JoinAsync(body?.Code, body?.Nickname, learner, "ip-" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"));
            return TypedResults.Ok(joined.Value);
        }
        catch (ClassNotFoundException ex)
        {
            return ApiProblems.NotFound("No such class.", ex.Message);
        }
        catch (TooManyJoinAttemptsException ex)
        {
            context.Response.Headers.RetryAfter = ex.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts", detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = ex.RetryAfterSeconds });
        }
    }

    /// <summary>An API caller without a learner cookie gets one, so it can join (and be remembered) like a browser.</summary>
    private static LearnerId NewLearner(HttpContext context, LearnerTokens tokens)
    {
        var id = LearnerId.New();
        LearnerCookieMiddleware.Issue(context, tokens, id);
        return id;
    }

    private static async Task<Ok<ClassInfo>> OpenClassAsync(ClassService classes) => TypedResults.Ok((await classes.OpenAsync()).Value);

    private static async Task<Results<Ok<IReadOnlyList<RosterEntry>>, ProblemHttpResult>> RosterAsync(ClassService classes) =>
        await classes.CurrentAsync() is { } open
            ? TypedResults.Ok((await classes.GetRosterAsync(open.Code)).Value)
            : NoClass();

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveLearnerAsync(string learner, ClassService classes)
    {
        if (await classes.CurrentAsync() is not { } open)
        {
            return NoClass();
        }

        return (await classes.RemoveAsync(open.Code, learner)).Value
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("No such learner.", "This learner is not in the class. Nothing was changed.");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> CloseClassAsync(ClassService classes)
    {
        if (await classes.CurrentAsync() is not { } open)
        {
            return NoClass();
        }

        await classes.CloseAsync(open.Code);
        return TypedResults.NoContent();
    }

    /// <summary>Runs a teacher action on the open class: 404 when none is open (or it closed meanwhile); nothing changes then.</summary>
    private static async Task<Results<Ok<T>, ProblemHttpResult>> OnOpenClassAsync<T>(ClassService classes, Func<string, Task<T>> action)
    {
        if (await classes.CurrentAsync() is not { } open)
        {
            return NoClass();
        }

        try
        {
            return TypedResults.Ok(await action(open.Code));
        }
        catch (ClassNotFoundException)
        {
            return NoClass();
        }
    }

    /// <summary>
    /// Pauses or resumes. A body without <c>paused</c> (<c>{}</c>, a misspelt <c>{"pause": true}</c>, <c>null</c>) is a 400
    /// before anything is read or changed: it must not resume a paused class.
    /// </summary>
    private static Task<Results<Ok<ClassInfo>, ProblemHttpResult>> PauseAsync(PauseClassRequest? body, ClassService classes)
    {
        var paused = body?.Paused ?? throw new LearnerInputException("Say whether to pause: {\"paused\": true} or false. Nothing was changed.", nameof(body));
        return OnOpenClassAsync(classes, async code =>
        {
            await classes.SetPausedAsync(code, paused);
            return (await classes.GetInfoAsync(code))!;
        });
    }

    private static Task<Results<Ok<ClassInfo>, ProblemHttpResult>> BringAsync(BringEveryoneRequest? body, ClassService classes) =>
        OnOpenClassAsync(classes, async code =>
        {
            await classes.BringEveryoneAsync(code, body?.Path ?? "");
            return (await classes.GetInfoAsync(code))!;
        });

    private static Task<Results<Ok<RenameLearnerResponse>, ProblemHttpResult>> RenameAsync(string learner, RenameLearnerRequest? body, ClassService classes) =>
        OnOpenClassAsync(classes, async code => new RenameLearnerResponse(learner, (await classes.RenameAsync(code, learner, body?.Nickname)).Value));

    private static Task<Results<Ok<ClassPoll>, ProblemHttpResult>> PushPollAsync(PushPollRequest? body, ClassService classes, ClassPolls polls) =>
        OnOpenClassAsync(classes, async code => (await polls.PushAsync(code, body?.Question, body?.Options, body?.Multiple ?? false)).Value);

    private static Task<Results<Ok<IReadOnlyList<ClassPoll>>, ProblemHttpResult>> ListPollsAsync(ClassService classes, ClassPolls polls) =>
        OnOpenClassAsync(classes, async code => (await polls.ListAsync(code)).Value);

    private static Task<Results<Ok<ClassPoll>, ProblemHttpResult>> ClosePollAsync(string id, ClassService classes, ClassPolls polls) =>
        OnOpenClassAsync(classes, async code => (await polls.CloseAsync(code, id)).Value);

    private static Task<Results<Ok<ClassPoll>, ProblemHttpResult>> RevealPollAsync(string id, RevealPollRequest? body, ClassService classes, ClassPolls polls) =>
        OnOpenClassAsync(classes, async code => (await polls.RevealAsync(code, id, body?.Correct)).Value);

    private static Task<Results<Ok<IReadOnlyList<LeaderboardEntry>>, ProblemHttpResult>> LeaderboardAsync(ClassService classes, ClassLeaderboard board) =>
        OnOpenClassAsync(classes, async code => (await board.TopAsync(code)).Value);

    private static Task<Results<Ok<bool>, ProblemHttpResult>> ResetLeaderboardAsync(ClassService classes, ClassLeaderboard board) =>
        OnOpenClassAsync(classes, async code => (await board.ResetAsync(code)).Value);

    private static Task<Results<Ok<ClassChannelMessage>, ProblemHttpResult>> TeacherPostAsync(ChannelPostRequest? body, ClassService classes, ClassChannel channel) =>
        OnOpenClassAsync(classes, async code => (await channel.PostAsTeacherAsync(code, body?.Text)).Value);

    /// <summary>A learner posts: 200 with the message; 404 when this browser is in no class; 400 with the reason (text, muted); 429 with Retry-After when posting too fast.</summary>
    private static async Task<Results<Ok<ClassChannelMessage>, ProblemHttpResult>> LearnerPostAsync(HttpContext context, ChannelPostRequest? body, ClassService classes, ClassChannel channel)
    {
        if (await MembershipAsync(context, classes) is not { } membership)
        {
            return InNoClass("Nothing was posted.");
        }

        try
        {
            return TypedResults.Ok((await channel.PostAsync(membership, body?.Text)).Value);
        }
        catch (ClassNotFoundException)
        {
            return ApiProblems.NotFound("Your class has closed.", "Nothing was posted.");
        }
    }

    /// <summary>The channel's history for a learner of the class, or for the teacher (their open class); 404 otherwise.</summary>
    private static async Task<Results<Ok<IReadOnlyList<ClassChannelMessage>>, ProblemHttpResult>> ChannelHistoryAsync(HttpContext context, ClassService classes, ClassChannel channel, TeacherAccess access)
    {
        var code = (await MembershipAsync(context, classes))?.Code ?? (access.IsTeacher(context) ? (await classes.CurrentAsync())?.Code : null);
        return code is null ? InNoClass("") : TypedResults.Ok((await channel.HistoryAsync(code)).Value);
    }

    /// <summary>The class this browser's learner is in, or null (no learner cookie, or in no class).</summary>
    private static async Task<ClassMembership?> MembershipAsync(HttpContext context, ClassService classes) =>
        LearnerCookieMiddleware.Get(context) is { } learner ? await classes.GetMembershipAsync(learner) : null;

    /// <summary>404 for a learner's class action from a browser in no class; <paramref name="consequence"/> says what did not happen.</summary>
    private static ProblemHttpResult InNoClass(string consequence) =>
        ApiProblems.NotFound("You are in no class.", ("Join a class first (POST /api/classroom/join). " + consequence).TrimEnd());

    private static Task<Results<Ok<bool>, ProblemHttpResult>> MuteAsync(string learner, ClassService classes, ClassChannel channel) =>
        OnOpenClassAsync(classes, async code => (await channel.MuteAsync(code, learner)).Value);

    private static Task<Results<Ok<bool>, ProblemHttpResult>> UnmuteAsync(string learner, ClassService classes, ClassChannel channel) =>
        OnOpenClassAsync(classes, async code => (await channel.UnmuteAsync(code, learner)).Value);

    /// <summary>A learner answers: 204; 404 when this browser is in no class; 400 with the reason (closed, answered already, no such option).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> AnswerPollAsync(HttpContext context, string id, AnswerPollRequest? body, ClassService classes, ClassPolls polls)
    {
        if (await MembershipAsync(context, classes) is not { } membership)
        {
            return InNoClass("Nothing was counted.");
        }

        await polls.AnswerAsync(membership, id, body?.Choices);
        return TypedResults.NoContent();
    }

    private static Task<Results<Ok<ClassStampedeRoundResponse>, ProblemHttpResult>> ArmStampedeAsync(ArmStampedeRequest? body, ClassService classes, ClassStampede stampede) =>
        OnOpenClassAsync(classes, async code =>
        {
            if (!ClassStampede.TryParseProtection(body?.Protection, out var protection))
            {
                throw new LearnerInputException("Protection must be \"none\" or \"lock\".", nameof(body));
            }

            return ClassStampedeRoundResponse.From((await stampede.ArmAsync(code, protection, body?.WindowSeconds ?? ClassStampede.DefaultWindowSeconds)).Value);
        });

    private static Task<Results<Ok<IReadOnlyList<ClassStampedeRoundResponse>>, ProblemHttpResult>> ListStampedesAsync(ClassService classes, ClassStampede stampede) =>
        OnOpenClassAsync(classes, async code => (IReadOnlyList<ClassStampedeRoundResponse>)[.. (await stampede.ListAsync(code)).Value.Select(ClassStampedeRoundResponse.From)]);

    /// <summary>A learner reads: 200 with their wait; 404 when this browser is in no class; 400 with the reason (no round, window closed, read already).</summary>
    private static async Task<Results<Ok<ClassStampedeRead>, ProblemHttpResult>> ReadStampedeAsync(HttpContext context, string id, ClassService classes, ClassStampede stampede)
    {
        if (await MembershipAsync(context, classes) is not { } membership)
        {
            return InNoClass("Nothing was read.");
        }

        return TypedResults.Ok((await stampede.ReadAsync(membership, id, context.RequestAborted)).Value);
    }

    private static ProblemHttpResult NoClass() => ApiProblems.NotFound("No class is open.", "Open a class first (POST /api/classroom/class).");

    private static async Task<Ok<ResetLearnerKeysResponse>> ResetLearnerKeysAsync(LearnerKeysReset reset)
    {
        var deleted = await reset.ResetEveryLearnerAsync();
        return TypedResults.Ok(new ResetLearnerKeysResponse(deleted.Value));
    }
}
