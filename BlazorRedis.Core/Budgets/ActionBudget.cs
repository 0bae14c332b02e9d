using System.Globalization;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Core.Budgets;

/// <summary>
/// The budgets of the expensive actions (<see cref="BudgetKind"/>): one at a time per owner, so no learner or client
/// can queue races behind each other, and a weight the whole class may hold at once (readers, runs, terms held in
/// Redis), so no one owner slows the rest. A refusal is a <see cref="BudgetExceededException"/> that says why and
/// when to retry. The budgets live in this app instance.
/// </summary>
public sealed class ActionBudget(IOptions<BudgetOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly HashSet<(BudgetKind Kind, string Owner)> _running = [];
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
    /// keeps its weight spent past that (for data it leaves in Redis until a TTL).
    /// </summary>
    public Lease Start(BudgetKind kind, string owner, long weight)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        var limit = LimitOf(kind);
        lock (_gate)
        {
            ReleaseExpired();
            if (_running.Contains((kind, owner)))
            {
                throw new BudgetExceededException($"You already have a {What(kind)} running. Wait for it to finish, then start the next.", TimeSpan.FromSeconds(5));
            }

            // What this owner still holds from a previous run is replaced by this one (the run starts afresh).
            var mine = _held.Remove((kind, owner), out var old) ? old.Weight : 0;
            var spent = _spent.GetValueOrDefault(kind) - mine;
            if (weight > limit || spent + weight > limit)
            {
                if (mine > 0)
                {
                    _held[(kind, owner)] = old;
                }

                throw OverBudget(kind, spent, limit, weight);
            }

            _spent[kind] = spent + weight;
            _running.Add((kind, owner));
            return new Lease(this, kind, owner, weight);
        }
    }

    /// <summary>
    /// Holds <paramref name="weight"/> of <paramref name="kind"/> for <paramref name="owner"/> (say, one key) until
    /// <paramref name="holdFor"/> from now, or throws <see cref="BudgetExceededException"/>: for data an instant command leaves
    /// in Redis. The owner holds the larger of this and what it held, for the longer of the two times, so a key that
    /// grows is counted once at its largest.
    /// </summary>
    public void Reserve(BudgetKind kind, string owner, long weight, TimeSpan holdFor)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        var limit = LimitOf(kind);
        lock (_gate)
        {
            ReleaseExpired();
            var until = time.GetUtcNow() + holdFor;
            var old = _held.GetValueOrDefault((kind, owner));
            var grow = Math.Max(0, weight - old.Weight);
            var spent = _spent.GetValueOrDefault(kind);
            if (grow > 0 && spent + grow > limit)
            {
                throw OverBudget(kind, spent, limit, grow);
            }

            _held[(kind, owner)] = new Held(old.Weight + grow, until > old.Until ? until : old.Until);
            _spent[kind] = spent + grow;
        }
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

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString(bytes < 10 * 1024 * 1024 ? "0.0" : "0", CultureInfo.InvariantCulture);

    private static string RetryText(TimeSpan retry) => retry >= TimeSpan.FromMinutes(2)
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(retry.TotalMinutes)} min")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(retry.TotalSeconds)} s");

    private void End(Lease lease, DateTimeOffset? holdUntil)
    {
        lock (_gate)
        {
            _running.Remove((lease.Kind, lease.Owner));
            if (holdUntil is { } until && until > time.GetUtcNow())
            {
                _held[(lease.Kind, lease.Owner)] = new Held(lease.Weight, until);
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
        foreach (var (key, held) in _held.Where(h => h.Value.Until <= now).ToList())
        {
            _held.Remove(key);
            _spent[key.Kind] = _spent.GetValueOrDefault(key.Kind) - held.Weight;
        }
    }

    private TimeSpan RetryAfter(BudgetKind kind)
    {
        var now = time.GetUtcNow();
        var next = _held.Where(h => h.Key.Kind == kind).Select(h => h.Value.Until - now).DefaultIfEmpty(TimeSpan.FromSeconds(5)).Min();
        return next < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : next;
    }

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

    private readonly record struct Held(long Weight, DateTimeOffset Until);

    /// <summary>An action under way; disposing it ends the action.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly ActionBudget _budget;
        private DateTimeOffset? _holdUntil;
        private int _ended;

        internal Lease(ActionBudget budget, BudgetKind kind, string owner, long weight)
        {
            _budget = budget;
            Kind = kind;
            Owner = owner;
            Weight = weight;
        }

        public BudgetKind Kind { get; }

        public string Owner { get; }

        public long Weight { get; }

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
