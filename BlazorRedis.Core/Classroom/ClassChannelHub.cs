using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Core.Classroom;

/// <summary>Brings the class channels' messages into this app instance (one pattern subscription, fanned out to the chat cards and panels of a class).</summary>
public sealed class ClassChannelHub(IConnectionMultiplexer mux, ClassChannel channelService, ILogger<ClassChannelHub> logger)
    : ClassFanout<ClassChannelMessage>(mux, channelService.AllChannels, channelService.ChannelPrefix, logger)
{
    protected override ClassChannelMessage? Parse(RedisValue message) => ClassChannelMessage.TryParse(message);

    protected override string CodeOf(ClassChannelMessage message) => message.Code;

    protected override string Describe(ClassChannelMessage message) => "channel message";
}
