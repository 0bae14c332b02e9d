using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Cluster;

// The Core feature tests, run unchanged on a 3-master Redis Cluster: each class inherits every test of the single-server
// class and gets the cluster fixture in its constructor. A CROSSSLOT or MOVED error here is a defect in Core (a missing
// hash tag, a multi-key command over several slots, a SCAN of one node only), never a reason to skip the test.

[Collection(OnRedisCluster.Name)]
public sealed class CacheAsideOnClusterTests(RedisClusterFixture cluster) : Caching.CacheAside.CacheAsideTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class InvalidationOnClusterTests(RedisClusterFixture cluster) : Caching.Invalidation.InvalidationTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class WriteBehindOnClusterTests(RedisClusterFixture cluster) : Caching.WriteStrategies.WriteBehindTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class StampedeOnClusterTests(RedisClusterFixture cluster) : Caching.Stampede.StampedeTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class RedisSessionStoreOnClusterTests(RedisClusterFixture cluster) : Sessions.RedisSessionStoreTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class RedisRateLimiterOnClusterTests(RedisClusterFixture cluster) : RateLimiting.RedisRateLimiterTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class RedisRateLimitServiceOnClusterTests(RedisClusterFixture cluster) : RateLimiting.RedisRateLimitServiceTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class RateLimitLabOnClusterTests(RedisClusterFixture cluster) : RateLimiting.RateLimitLabTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class NaiveFixedWindowLimiterOnClusterTests(RedisClusterFixture cluster) : RateLimiting.NaiveFixedWindowLimiterTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class RedisPubSubServiceOnClusterTests(RedisClusterFixture cluster) : PubSub.RedisPubSubServiceTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class LearnerGroupOnClusterTests(RedisClusterFixture cluster) : PubSub.LearnerGroupTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class KeyspaceJanitorOnClusterTests(RedisClusterFixture cluster) : Keys.KeyspaceJanitorTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class StringsDemoOnClusterTests(RedisClusterFixture cluster) : Strings.StringsDemoTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class ListsDemoOnClusterTests(RedisClusterFixture cluster) : Lists.ListsDemoTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class HashesDemoOnClusterTests(RedisClusterFixture cluster) : Hashes.HashesDemoTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class SetsDemoOnClusterTests(RedisClusterFixture cluster) : Sets.SetsDemoTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class SortedSetsDemoOnClusterTests(RedisClusterFixture cluster) : SortedSets.SortedSetsDemoTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class BitmapsDemoOnClusterTests(RedisClusterFixture cluster) : Bitmaps.BitmapsDemoTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class HyperLogLogDemoOnClusterTests(RedisClusterFixture cluster) : HyperLogLog.HyperLogLogDemoTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class GeoDemoOnClusterTests(RedisClusterFixture cluster) : Geo.GeoDemoTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class StreamsDemoOnClusterTests(RedisClusterFixture cluster) : Streams.StreamsDemoTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class RedisStatusMonitorOnClusterTests(RedisClusterFixture cluster) : Connection.RedisStatusMonitorTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class CheckEvaluatorOnClusterTests(RedisClusterFixture cluster) : Lessons.CheckEvaluatorTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class BuiltInCourseOnClusterTests(RedisClusterFixture cluster) : Lessons.BuiltInCourseTests(cluster);

// The class a teacher runs (its keys share the {class:CODE} hash tag) and what it records per learner. The class
// stampede is left out: its rounds are the class's keys too, and its 2 s windows would add 13 s to this serial collection.

[Collection(OnRedisCluster.Name)]
public sealed class ClassServiceOnClusterTests(RedisClusterFixture cluster) : Classroom.ClassServiceTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class ClassEventHubOnClusterTests(RedisClusterFixture cluster) : Classroom.ClassEventHubTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class ClassChannelOnClusterTests(RedisClusterFixture cluster) : Classroom.ClassChannelTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class ClassPollsOnClusterTests(RedisClusterFixture cluster) : Classroom.ClassPollsTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class ClassLeaderboardOnClusterTests(RedisClusterFixture cluster) : Classroom.ClassLeaderboardTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class ClassPaceOnClusterTests(RedisClusterFixture cluster) : Classroom.ClassPaceTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class LessonProgressStoreOnClusterTests(RedisClusterFixture cluster) : Lessons.LessonProgressStoreTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class ClassQuizReportOnClusterTests(RedisClusterFixture cluster) : Lessons.ClassQuizReportTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class WorkbenchBudgetAndTtlOnClusterTests(RedisClusterFixture cluster) : Workbench.WorkbenchBudgetAndTtlTests(cluster);

[Collection(OnRedisCluster.Name)]
public sealed class WorkbenchTtlDifferentialOnClusterTests(RedisClusterFixture cluster) : Workbench.WorkbenchTtlDifferentialTests(cluster);
