using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Core.Classroom;

/// <summary>Brings class events into this app instance (one pattern subscription, fanned out to the class's components).</summary>
public sealed class ClassEventHub(IConnectionMultiplexer mux, ClassService classes, ILogger<ClassEventHub> logger)
    : ClassFanout<ClassEvent>(mux, classes.AllChannels, classes.ChannelPrefix, logger)
{
    protected override ClassEvent? Parse(RedisValue message) => ClassEvent.TryParse(message);

    protected override string CodeOf(ClassEvent message) => message.Code;

    protected override string Describe(ClassEvent message) => $"event {message.Kind}";
}
