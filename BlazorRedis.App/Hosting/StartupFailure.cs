using BlazorRedis.Core.Connection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.App.Hosting;

/// <summary>Recognises start-up failures that a user can fix, and phrases them in one line.</summary>
internal static class StartupFailure
{
    public static bool TryDescribe(Exception ex, out string message)
    {
        switch (ex)
        {
            case RedisServerNotFoundException:
            case FormatException:
                message = ex.Message;
                return true;
            case OptionsValidationException ove:
                message = string.Join(" ", ove.Failures);
                return true;
            case AggregateException { InnerExceptions.Count: > 0 } agg:
                return TryDescribe(agg.InnerExceptions[0], out message);
            case { InnerException: { } inner }:
                return TryDescribe(inner, out message);
            default:
                message = "";
                return false;
        }
    }
}
