using BlazorRedis.Core;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Connection;
using StackExchange.Redis;

namespace BlazorRedis.App.Api;

/// <summary>
/// The one failure policy of every API group (<see cref="RedisFailures"/>): Redis unreachable or too slow is a 503
/// with <c>Retry-After</c>; a Redis error reply (WRONGTYPE, OOM…) is a 409 that says Redis refused the command, not
/// an outage; learner input the handlers did not catch is a 400; an expensive action over its budget is a 429 with
/// <c>Retry-After</c>. Anything else is a bug and stays a 500.
/// </summary>
public sealed class RedisFailureFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
        {
            return ApiProblems.Unavailable(context.HttpContext, ex);
        }
        catch (RedisServerException ex)
        {
            return ApiProblems.Refused(ex);
        }
        catch (LearnerInputException ex)
        {
            return ApiProblems.Invalid(ex);
        }
        catch (BudgetExceededException ex)
        {
            return ApiProblems.OverBudget(context.HttpContext, ex);
        }
    }
}
