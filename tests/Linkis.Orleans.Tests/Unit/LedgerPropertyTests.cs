using FsCheck;
using FsCheck.Fluent;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Ledger;

namespace Linkis.Orleans.Tests.Unit;

/// <summary>
/// The ledger's rules under any sequence of lock, confirm, release, expiry, retry, duplicate and quota change: nothing
/// held ever goes negative or above a limit it was booked under, a ticket is booked at most once in its life, and every
/// booked ticket is given back exactly once.
/// </summary>
public sealed class LedgerPropertyTests
{
    private const int Sequences = 1000;
    private const string Shell = "shell-1";
    private const string Python = "python-python3";
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private abstract record Op;

    private sealed record Lock(int Ticket, int Memory, int Cores, bool Python) : Op;

    private sealed record Confirm(int Ticket) : Op;

    private sealed record Release(int Ticket) : Op;

    /// <summary>Time passes and the expiry sweep runs.</summary>
    private sealed record Expire(int Seconds) : Op;

    /// <summary>The quota changes (raised or lowered below what is held).</summary>
    private sealed record ChangeQuota(int Instances, int TypeInstances) : Op;

    /// <summary>The previous operation again: a client's retry after a time-out.</summary>
    private sealed record Retry : Op;

    /// <summary>The same message delivered twice in a row.</summary>
    private sealed record Duplicate(Op Inner) : Op;

    private static Gen<Op> Basic() => Gen.OneOf(
        from t in Gen.Choose(0, 7) from m in Gen.Choose(1, 4) from c in Gen.Choose(0, 2) from p in Gen.Elements(false, true) select (Op)new Lock(t, m, c, p),
        Gen.Choose(0, 7).Select(t => (Op)new Confirm(t)),
        Gen.Choose(0, 7).Select(t => (Op)new Release(t)),
        Gen.Choose(1, 40).Select(s => (Op)new Expire(s)),
        from a in Gen.Choose(0, 6) from b in Gen.Choose(0, 4) select (Op)new ChangeQuota(a, b));

    private static Gen<Op> AnyOp() => Gen.Frequency(
        (8, Basic()),
        (1, Gen.Constant((Op)new Retry())),
        (1, Basic().Select(o => (Op)new Duplicate(o))));

    private static Arbitrary<Op[]> Sequence() => Gen.ArrayOf(AnyOp()).Select(ops => ops).ToArbitrary();

    /// <summary>The book under test and what the test has seen it do, ticket by ticket.</summary>
    private sealed class Run
    {
        public LedgerBook Book { get; } = new(new LedgerState());

        public DateTimeOffset Now { get; set; } = Start;

        public IReadOnlyList<LedgerLimit> Limits { get; set; } = Quota(4, 2);

        public Dictionary<string, int> Booked { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> GivenBack { get; } = new(StringComparer.Ordinal);

        public List<string> Violations { get; } = [];
    }

    private static IReadOnlyList<LedgerLimit> Quota(int instances, int pythonInstances) =>
    [
        new LedgerLimit(null, ResourceVector.FromCores(12, 6, instances), QuotaSource.Api),
        new LedgerLimit(Python, ResourceVector.FromCores(12, 6, pythonInstances), QuotaSource.Api),
    ];

    private static string TicketId(int ticket) => $"t{ticket}";

    private static void Apply(Run run, Op op)
    {
        switch (op)
        {
            case Lock l:
                var id = TicketId(l.Ticket);
                var type = l.Python ? Python : Shell;
                var decision = run.Book.TryLock(id, new ResourceVector(l.Memory, l.Cores * 500, 1), type, run.Now, run.Now + Ttl, run.Limits, out var changed);
                if (changed)
                {
                    run.Booked[id] = run.Booked.GetValueOrDefault(id) + 1;
                    foreach (var limit in run.Limits.Where(x => x.EngineType is null || x.EngineType == type))
                    {
                        if (!run.Book.Held(limit.EngineType).FitsWithin(limit.Max))
                            run.Violations.Add($"lock of {id} took {limit.EngineType ?? "all"} to {run.Book.Held(limit.EngineType)}, above {limit.Max}");
                    }
                }

                if (changed && !decision.Granted)
                    run.Violations.Add($"a refused lock of {id} changed the ledger");
                break;
            case Confirm c:
                run.Book.Confirm(TicketId(c.Ticket), out _);
                break;
            case Release r:
                if (run.Book.Release(TicketId(r.Ticket)))
                    GiveBack(run, TicketId(r.Ticket));
                break;
            case Expire e:
                run.Now += TimeSpan.FromSeconds(e.Seconds);
                foreach (var expired in run.Book.Expire(run.Now))
                    GiveBack(run, expired.Id);
                break;
            case ChangeQuota q:
                run.Limits = Quota(q.Instances, q.TypeInstances);
                break;
        }
    }

    private static void GiveBack(Run run, string id) => run.GivenBack[id] = run.GivenBack.GetValueOrDefault(id) + 1;

    private static Run Play(Op[] ops)
    {
        var run = new Run();
        Op? previous = null;
        foreach (var op in ops)
        {
            switch (op)
            {
                case Retry when previous is not null:
                    Apply(run, previous);
                    break;
                case Duplicate d:
                    Apply(run, d.Inner);
                    var once = run.Book.State.Tickets;
                    Apply(run, d.Inner is Expire ? new Expire(0) : d.Inner);
                    if (!once.OrderBy(t => t.Key).SequenceEqual(run.Book.State.Tickets.OrderBy(t => t.Key)))
                        run.Violations.Add($"{d.Inner} delivered twice did not leave the ledger as once did");
                    previous = d.Inner;
                    continue;
                default:
                    Apply(run, op);
                    break;
            }

            if (op is not Retry)
                previous = op;
        }

        return run;
    }

    private static void CheckAll(Func<Op[], bool> property) =>
        Prop.ForAll(Sequence(), property).Check(Config.QuickThrowOnFailure.WithMaxTest(Sequences));

    [Fact]
    public void No_sequence_books_above_a_limit_it_was_booked_under()
    {
        CheckAll(ops =>
        {
            var run = Play(ops);
            return run.Violations.Count == 0 ? true : throw new Xunit.Sdk.XunitException(string.Join("; ", run.Violations));
        });
    }

    [Fact]
    public void Without_a_quota_change_what_is_held_stays_within_every_limit()
    {
        CheckAll(ops =>
        {
            var run = Play([.. ops.Where(o => o is not ChangeQuota && o is not Duplicate { Inner: ChangeQuota })]);
            return run.Limits.All(l => run.Book.Held(l.EngineType).FitsWithin(l.Max))
                && run.Book.State.Sum(TicketState.Locked).Add(run.Book.State.Sum(TicketState.Confirmed)) == run.Book.Held(null);
        });
    }

    [Fact]
    public void Every_ticket_is_booked_at_most_once_and_given_back_exactly_once()
    {
        CheckAll(ops =>
        {
            var run = Play(ops);
            foreach (var id in run.Book.State.Tickets.Keys.ToList())
            {
                if (run.Book.Release(id))
                    GiveBack(run, id);
            }

            // Once released, a ticket stays released: a late lock of it books nothing.
            foreach (var id in run.Booked.Keys)
            {
                run.Book.TryLock(id, new ResourceVector(1, 0, 1), Shell, run.Now, run.Now + Ttl, Quota(100, 100), out var rebooked);
                if (rebooked)
                    return false;
            }

            return run.Book.State.Tickets.IsEmpty
                && run.Booked.All(b => b.Value == 1 && run.GivenBack.GetValueOrDefault(b.Key) == 1)
                && run.GivenBack.Keys.All(run.Booked.ContainsKey);
        });
    }

    [Fact]
    public void A_confirmed_ticket_never_expires_and_an_expired_one_cannot_be_confirmed()
    {
        CheckAll(ops =>
        {
            var run = Play(ops);
            var confirmed = run.Book.State.Tickets.Values.Where(t => t.State == TicketState.Confirmed).Select(t => t.Id).ToList();
            var expired = run.Book.Expire(run.Now + Ttl + TimeSpan.FromSeconds(1));
            return confirmed.All(run.Book.State.Tickets.ContainsKey)
                && expired.All(t => !run.Book.Confirm(t.Id, out _))
                && run.Book.State.Tickets.Values.All(t => t.State == TicketState.Confirmed);
        });
    }
}
