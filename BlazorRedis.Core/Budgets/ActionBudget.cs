using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Core.Budgets;

/// <summary>
/// The budgets of the expensive actions (<see cref="BudgetKind"/>): one at a time per owner, so no learner or client
/// can queue races behind each other, and a weight the whole class may hold at once (readers, runs, terms held in
/// Redis), so no one owner slows the rest. A stampede race also has a most one owner may take of the class's readers
/// (<see cref="OwnerLimitOf"/>), lower for an API client than for a learner, so no one owner can shut the rest out; a load
/// run has a time limit (<see cref="TimeLimitOf"/>) and its slot is freed at the latest a little after it. A refusal is a <see cref="BudgetExceededException"/> that says why and
/// when to retry. The budgets live in this app instance.
/// </summary>
public sealed class ActionBudget(IOptions<BudgetOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    // A run that overran its time limit by this much no longer holds its slot, whatever became of it.
    private static readonly TimeSpan OverrunGrace = TimeSpan.FromSeconds(10);

    private readonly Dictionary<(BudgetKind Kind, string Owner), Lease> _running = [];
    private readonly Dictionary<BudgetKind, long> _spent = [];
    private readonly Dictionary<(BudgetKind Kind, string Owner), Held> _held = [];

    /// <summary>The weight the class may hold of <paramref name="kind"/>.</summary>
    public long LimitOf(BudgetKind kind) => kind switch
    {
        BudgetKind.StampedeRace => options.Value.RaceReaders,
        BudgetKind.LoadRun => options.Value.LoadRuns,
        BudgetKind.DemoMemory => options.Value.DemoMemoryMegabytes * 1024L * 1024L,
        BudgetKind.PatternScan => options.Value.PatternScans,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The owner name of an API client: its address. Its stampede races get the API client's share
    /// (<see cref="BudgetOptions.RaceReadersPerApiClient"/>); any other owner is a learner.
    /// </summary>
    public static string ApiClient(IPAddress? address) => ApiClientPrefix + (address?.ToString() ?? "unknown");

    private const string ApiClientPrefix = "address:";

    /// <summary>
    /// The most weight of <paramref name="kind"/> one <paramref name="owner"/> may take at once: for a stampede race a share
    /// of the class's readers (an API client's is lower than a learner's), for demo data a share of the class's memory
    /// that counts everything the learner holds (<see cref="BudgetOptions.DemoMemoryPerLearnerMegabytes"/>), for the rest
    /// the class's whole limit.
    /// </summary>
    public long OwnerLimitOf(BudgetKind kind, string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return kind switch
        {
            BudgetKind.StampedeRace => Math.Min(LimitOf(kind), IsApiClient(owner) ? options.Value.RaceReadersPerApiClient : options.Value.RaceReadersPerLearner),
            BudgetKind.DemoMemory => Math.Min(LimitOf(kind), options.Value.DemoMemoryPerLearnerMegabytes * 1024L * 1024L),
            _ => LimitOf(kind),
        };
    }

    /// <summary>
    /// Why <paramref name="owner"/> can never start <paramref name="weight"/> of <paramref name="kind"/>: more than its
    /// share (<see cref="OwnerLimitOf"/>) or than the class's whole limit, so waiting would not help and only a smaller
    /// request would; null when it fits once the class's budget allows. <see cref="Start"/> refuses it too; an API says
    /// so as bad input (400, the most it may ask) rather than as "retry later" (429 with Retry-After).
    /// </summary>
    public string? NeverFits(BudgetKind kind, string owner, long weight)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var limit = LimitOf(kind);
        var ownerLimit = OwnerLimitOf(kind, owner);
        return weight > ownerLimit && ownerLimit < limit ? OverOwnerShare(kind, owner, ownerLimit, limit, weight).Message
            : weight > limit ? string.Create(CultureInfo.InvariantCulture, $"The class may have at most {limit:N0} {Unit(kind)} of the {What(kind)} at once, and this one needs {weight:N0}.")
            : null;
    }

    /// <summary>
    /// How long large demo data held with <see cref="Reserve"/> lives (<see cref="BudgetOptions.LargeDemoDataMinutes"/>):
    /// give the key this TTL (or a shorter one) and reserve for the same time, so its memory and its reservation end together.
    /// </summary>
    public TimeSpan LargeDemoDataLife => TimeSpan.FromMinutes(options.Value.LargeDemoDataMinutes);

    /// <summary>The longest one action of <paramref name="kind"/> may run (it should stop itself then), or null for no limit.</summary>
    public TimeSpan? TimeLimitOf(BudgetKind kind) => kind == BudgetKind.LoadRun ? TimeSpan.FromSeconds(options.Value.LoadRunSeconds) : null;

    private static bool IsApiClient(string owner) => owner.StartsWith(ApiClientPrefix, StringComparison.Ordinal);

    /// <summary>The weight of <paramref name="kind"/> spent now (running, or held until it expires).</summary>
    public long SpentOf(BudgetKind kind)
    {
        lock (_gate)
        {
            ReleaseExpired();
            return _spent.GetValueOrDefault(kind);
        }
    }

    /// <summary>
    /// Starts an action of <paramref name="weight"/> for <paramref name="owner"/>, or throws
    /// <see cref="BudgetExceededException"/>. Dispose the lease when the action ends; <see cref="Lease.HoldUntil"/>
    /// keeps its weight spent past that (for data it leaves in Redis until a TTL). An action with a time limit
    /// (<see cref="Lease.TimeLimit"/>) must stop itself within it.
    /// </summary>
    /// <param name="kind">What the action spends.</param>
    /// <param name="owner">The learner (or API client) it is for; one action of a kind at a time per owner.</param>
    /// <param name="weight">How much it takes.</param>
    /// <param name="wholeClass">The teacher's action: it may take the class's whole limit, with no share per owner.</param>
    public Lease Start(BudgetKind kind, string owner, long weight, bool wholeClass = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        var limit = LimitOf(kind);
        var ownerLimit = wholeClass ? limit : OwnerLimitOf(kind, owner);
        lock (_gate)
        {
            ReleaseExpired();
            if (_running.TryGetValue((kind, owner), out var running))
            {
                var retry = running.Deadline is { } deadline ? AtLeastOneSecond(deadline - time.GetUtcNow()) : TimeSpan.FromSeconds(5);
                throw new BudgetExceededException($"You already have a {What(kind)} running. Wait for it to finish, then start the next.", retry);
            }

            if (weight > ownerLimit && ownerLimit < limit)
            {
                throw OverOwnerShare(kind, owner, ownerLimit, limit, weight);
            }

            // What this owner still holds from a previous run is replaced by this one (the run starts afresh).
            var mine = _held.Remove((kind, owner), out var old) ? old.Weight : 0;
            var spent = _spent.GetValueOrDefault(kind) - mine;
            var refused = ownerLimit < limit && HeldBy(kind, owner) + weight > ownerLimit ? OverOwnHoldings(kind, owner, ownerLimit, weight)
                : weight > limit || spent + weight > limit ? OverBudget(kind, spent, limit, weight)
                : null;
            if (refused is not null)
            {
                if (mine > 0)
                {
                    _held[(kind, owner)] = old;
                }

                throw refused;
            }

            _spent[kind] = spent + weight;
            var timeLimit = TimeLimitOf(kind);
            var lease = new Lease(this, kind, owner, weight, timeLimit, time.GetUtcNow() + timeLimit);
            _running.Add((kind, owner), lease);
            return lease;
        }
    }

    /// <summary>
    /// Holds <paramref name="weight"/> of <paramref name="kind"/> for <paramref name="part"/> (say, one key) of
    /// <paramref name="learner"/>'s data until <paramref name="holdFor"/> from now, or throws <see cref="BudgetExceededException"/>:
    /// for data an instant command leaves in Redis. The part holds the larger of this and what it held, for the longer of
    /// the two times, so a key that grows is counted once at its largest; everything the learner holds counts against
    /// their share (<see cref="OwnerLimitOf"/>). Give the key the same TTL as <paramref name="holdFor"/> with the write, so
    /// the two end together.
    /// </summary>
    public void Reserve(BudgetKind kind, string learner, string part, long weight, TimeSpan holdFor)
    {
        ArgumentException.ThrowIfNullOrEmpty(learner);
        ArgumentException.ThrowIfNullOrEmpty(part);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        var limit = LimitOf(kind);
        var ownerLimit = OwnerLimitOf(kind, learner);
        lock (_gate)
        {
            ReleaseExpired();
            var until = time.GetUtcNow() + holdFor;
            var old = _held.GetValueOrDefault((kind, part));
            var grow = Math.Max(0, weight - old.Weight);
            var spent = _spent.GetValueOrDefault(kind);
            if (grow > 0 && ownerLimit < limit && HeldBy(kind, learner) + grow > ownerLimit)
            {
                throw OverOwnHoldings(kind, learner, ownerLimit, grow);
            }

            if (grow > 0 && spent + grow > limit)
            {
                throw OverBudget(kind, spent, limit, grow);
            }

            _held[(kind, part)] = new Held(old.Weight + grow, until > old.Until ? until : old.Until, learner);
            _spent[kind] = spent + grow;
        }
    }

    /// <summary>
    /// Keeps what <paramref name="learner"/>'s <paramref name="part"/> holds of <paramref name="kind"/> until
    /// <paramref name="holdFor"/> from now (or longer, if it was held longer), whatever the size of the write: for a small
    /// write to a key that is already large, which renews the key's TTL and so must renew its reservation too. False,
    /// changing nothing, when the part holds nothing (its data is small, or expired or was released with its key): then
    /// the key is not large demo data and keeps the ordinary TTL.
    /// </summary>
    public bool Renew(BudgetKind kind, string learner, string part, TimeSpan holdFor)
    {
        ArgumentException.ThrowIfNullOrEmpty(learner);
        ArgumentException.ThrowIfNullOrEmpty(part);
        lock (_gate)
        {
            ReleaseExpired();
            if (!_held.TryGetValue((kind, part), out var held) || held.Learner != learner)
            {
                return false;
            }

            var until = time.GetUtcNow() + holdFor;
            _held[(kind, part)] = held with { Until = until > held.Until ? until : held.Until };
            return true;
        }
    }

    /// <summary>
    /// Gives back what <paramref name="learner"/> holds of <paramref name="kind"/> for the parts whose names start with
    /// <paramref name="partPrefix"/>: their data was deleted (say, "Reset my keys"), so the room is free again.
    /// </summary>
    public void Release(BudgetKind kind, string learner, string partPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(partPrefix);
        Release(kind, learner, part => part.StartsWith(partPrefix, StringComparison.Ordinal));
    }

    /// <summary>Gives back what <paramref name="owner"/>'s last action of <paramref name="kind"/> left held: its data was deleted.</summary>
    public void Release(BudgetKind kind, string owner) => Release(kind, owner, part => part == owner);

    private void Release(BudgetKind kind, string learner, Func<string, bool> isPart)
    {
        ArgumentException.ThrowIfNullOrEmpty(learner);
        lock (_gate)
        {
            foreach (var key in _held.Where(h => h.Key.Kind == kind && h.Value.Learner == learner && isPart(h.Key.Owner)).Select(h => h.Key).ToList())
            {
                Free(key);
            }
        }
    }

    // Gives a hold's weight back. Call under the gate.
    private void Free((BudgetKind Kind, string Owner) key)
    {
        if (_held.Remove(key, out var held))
        {
            _spent[key.Kind] = _spent.GetValueOrDefault(key.Kind) - held.Weight;
        }
    }

    /// <summary>What <paramref name="learner"/> holds of <paramref name="kind"/> now: data left in Redis and an action running. Call under the gate.</summary>
    private long HeldBy(BudgetKind kind, string learner) =>
        _held.Where(h => h.Key.Kind == kind && h.Value.Learner == learner).Sum(h => h.Value.Weight)
        + (_running.TryGetValue((kind, learner), out var running) ? running.Weight : 0);

    // A learner over their share of demo data: the room comes back when their oldest data expires (or they delete it).
    private BudgetExceededException OverOwnHoldings(BudgetKind kind, string learner, long ownerLimit, long weight)
    {
        var now = time.GetUtcNow();
        var held = HeldBy(kind, learner);
        var retry = AtLeastOneSecond(_held.Where(h => h.Key.Kind == kind && h.Value.Learner == learner).Select(h => h.Value.Until - now)
            .DefaultIfEmpty(TimeSpan.FromSeconds(5)).Min());
        return new BudgetExceededException(
            string.Create(CultureInfo.InvariantCulture, $"One learner may hold at most {Megabytes(ownerLimit)} MB of large demo data at once, a share of the class's {Megabytes(LimitOf(kind))} MB (Budgets:DemoMemoryPerLearnerMegabytes). You hold {Megabytes(held)} MB until it expires, and this needs {Megabytes(weight)} MB. Try again in about {RetryText(retry)}, reset the demo's keys to free it, or pick a smaller size."),
            retry);
    }

    private BudgetExceededException OverBudget(BudgetKind kind, long spent, long limit, long weight)
    {
        var retry = RetryAfter(kind);
        var amounts = kind == BudgetKind.DemoMemory
            ? string.Create(CultureInfo.InvariantCulture, $"{Megabytes(spent)} of {Megabytes(limit)} MB of Redis memory held by demo data, and this needs {Megabytes(weight)} MB")
            : string.Create(CultureInfo.InvariantCulture, $"{spent:N0} of {limit:N0} {Unit(kind)}, and this one needs {weight:N0}");
        return new BudgetExceededException(
            string.Create(CultureInfo.InvariantCulture, $"The class is using its budget for the {What(kind)} right now ({amounts}). Try again in about {RetryText(retry)}{SmallerAdvice(kind)}."),
            retry);
    }

    // A stampede race or demo data bigger than one owner's share: waiting does not help, a smaller one does.
    private static BudgetExceededException OverOwnerShare(BudgetKind kind, string owner, long ownerLimit, long limit, long weight)
    {
        if (kind == BudgetKind.DemoMemory)
        {
            return new BudgetExceededException(
                string.Create(CultureInfo.InvariantCulture, $"One learner may hold at most {Megabytes(ownerLimit)} MB of large demo data at once, a share of the class's {Megabytes(limit)} MB (Budgets:DemoMemoryPerLearnerMegabytes), and this needs {Megabytes(weight)} MB. Pick a smaller size."),
                TimeSpan.FromSeconds(5));
        }

        var (who, setting, fewer) = IsApiClient(owner)
            ? ("An API client (one address)", nameof(BudgetOptions.RaceReadersPerApiClient), string.Create(CultureInfo.InvariantCulture, $"Send \"requests\" of {ownerLimit} or fewer"))
            : ("One learner", nameof(BudgetOptions.RaceReadersPerLearner), string.Create(CultureInfo.InvariantCulture, $"Pick {ownerLimit:N0} readers or fewer"));
        return new BudgetExceededException(
            string.Create(CultureInfo.InvariantCulture, $"{who} may race at most {ownerLimit:N0} readers at once, a share of the class's {limit:N0} (Budgets:{setting}), and this race asks for {weight:N0}. {fewer}."),
            TimeSpan.FromSeconds(5));
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString(bytes < 10 * 1024 * 1024 ? "0.0" : "0", CultureInfo.InvariantCulture);

    private static string RetryText(TimeSpan retry) => retry >= TimeSpan.FromMinutes(2)
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(retry.TotalMinutes)} min")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(retry.TotalSeconds)} s");

    private void End(Lease lease, DateTimeOffset? holdUntil)
    {
        lock (_gate)
        {
            // A run freed because it overran its time limit has given its weight back already (and its owner may have
            // started another, which is not this lease's to end).
            if (!_running.TryGetValue((lease.Kind, lease.Owner), out var running) || !ReferenceEquals(running, lease))
            {
                return;
            }

            _running.Remove((lease.Kind, lease.Owner));
            if (holdUntil is { } until && until > time.GetUtcNow())
            {
                _held[(lease.Kind, lease.Owner)] = new Held(lease.Weight, until, lease.Owner);
            }
            else
            {
                _spent[lease.Kind] = _spent.GetValueOrDefault(lease.Kind) - lease.Weight;
            }
        }
    }

    private void ReleaseExpired()
    {
        var now = time.GetUtcNow();
        foreach (var key in _held.Where(h => h.Value.Until <= now).Select(h => h.Key).ToList())
        {
            Free(key);
        }

        foreach (var (key, lease) in _running.Where(r => r.Value.Deadline + OverrunGrace <= now).ToList())
        {
            _running.Remove(key);
            _spent[key.Kind] = _spent.GetValueOrDefault(key.Kind) - lease.Weight;
        }
    }

    private TimeSpan RetryAfter(BudgetKind kind)
    {
        // The soonest known end: held data's expiry, or a running action's time limit. Races have neither; they are short.
        var now = time.GetUtcNow();
        var ends = _held.Where(h => h.Key.Kind == kind).Select(h => h.Value.Until)
            .Concat(_running.Values.Where(r => r.Kind == kind && r.Deadline is not null).Select(r => r.Deadline!.Value));
        return AtLeastOneSecond(ends.Select(end => end - now).DefaultIfEmpty(TimeSpan.FromSeconds(5)).Min());
    }

    private static TimeSpan AtLeastOneSecond(TimeSpan retry) => retry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry;

    // Only an action with a size the learner picks can be made smaller; a load run or a keyspace scan can only wait.
    private static string SmallerAdvice(BudgetKind kind) => kind switch
    {
        BudgetKind.StampedeRace => ", or pick fewer readers",
        BudgetKind.DemoMemory => ", or pick a smaller size",
        _ => "",
    };

    private static string What(BudgetKind kind) => kind switch
    {
        BudgetKind.StampedeRace => "stampede race",
        BudgetKind.LoadRun => "load-generator run",
        BudgetKind.PatternScan => "keyspace scan",
        _ => "large demo data",
    };

    private static string Unit(BudgetKind kind) => kind switch
    {
        BudgetKind.StampedeRace => "readers",
        BudgetKind.LoadRun => "runs",
        BudgetKind.PatternScan => "keyspace scans",
        _ => "bytes held in Redis",
    };

    private readonly record struct Held(long Weight, DateTimeOffset Until, string Learner);

    /// <summary>An action under way; disposing it ends the action.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly ActionBudget _budget;
        private DateTimeOffset? _holdUntil;
        private int _ended;

        internal Lease(ActionBudget budget, BudgetKind kind, string owner, long weight, TimeSpan? timeLimit, DateTimeOffset? deadline)
        {
            _budget = budget;
            Kind = kind;
            Owner = owner;
            Weight = weight;
            TimeLimit = timeLimit;
            Deadline = deadline;
        }

        public BudgetKind Kind { get; }

        public string Owner { get; }

        public long Weight { get; }

        /// <summary>How long the action may run (<see cref="TimeLimitOf"/>), or null for no limit. Stop it then: a little after, its weight is freed anyway.</summary>
        public TimeSpan? TimeLimit { get; }

        /// <summary>When <see cref="TimeLimit"/> runs out, or null.</summary>
        public DateTimeOffset? Deadline { get; }

        /// <summary>Keeps the weight spent after the action ends, until <paramref name="until"/> (the data it left in Redis expires then).</summary>
        public void HoldUntil(DateTimeOffset until) => _holdUntil = until;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                _budget.End(this, _holdUntil);
            }
        }
    }
}
