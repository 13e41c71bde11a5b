using CsCheck;
using System.Security.Cryptography;
using EglWater.Store;
using EglWater.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace EglWater.Tests;

/// <summary>A temporary folder per test, deleted at the end.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eglwater-test-" + Guid.NewGuid().ToString("n"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The SQLite history store: schema, upserts, revisions, transactions, refusals.</summary>
public sealed class HistoryStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 6, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static EglDayRecord R(int day, double index, string raw = "R", long subscription = 7) =>
        new(subscription, new DateTime(2025, 1, day), index, raw == "T" ? EglReadingType.Pending : EglReadingType.Real, raw);

    private static EglDayRecord V(int day, double liters, double? flow = null, double? leak = null) =>
        new(7, new DateTime(2025, 1, day), null, EglReadingType.Real, string.Empty, liters, flow, leak);

    private static readonly DateTime Jan1 = new(2025, 1, 1), Jan31 = new(2025, 1, 31);

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static List<string> Query(string path, string sql)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<string>();
        while (r.Read()) rows.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "null" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    private static void Exec(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public void A_new_store_has_the_documented_tables_and_its_version()
    {
        string path = _temp.File("new/sub/history.db");
        using (SqliteHistoryStore.Open(path, write: true))
        {
        }

        Assert.Equal(["egl_days", "egl_revisions", "egl_schema", "egl_subscriptions"], Query(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"));
        Assert.Equal(["version|1"], Query(path, "SELECT name, value FROM egl_schema"));
        int version = HistorySchema.Version;
        Assert.Equal(version, HistorySchema.Migrations(HistoryDialect.Sqlite).Count);
        Assert.Equal(version, HistorySchema.Migrations(HistoryDialect.Postgres).Count);
    }

    [Fact]
    public void Records_read_back_as_written_in_date_and_arrival_order_with_their_nulls()
    {
        using var store = SqliteHistoryStore.Open(_temp.File("h.db"), write: true);
        var records = new[] { R(2, 1100), R(3, 1210, "T"), R(3, 1200), R(1, 1000, "D") };
        var written = store.Write(7, EglApiKind.Partner, Jan1, Jan31, records, null, false, Now);
        Assert.Equal((3, 0), (written.Added, written.Changed));

        var back = store.Read(7, Jan1, Jan31);
        Assert.Equal(
            [(1, 1000.0, "D", EglReadingType.Real), (2, 1100.0, "R", EglReadingType.Real), (3, 1210.0, "T", EglReadingType.Pending), (3, 1200.0, "R", EglReadingType.Real)],
            back.Select(r => (r.Date.Day, r.Index!.Value, r.RawType, r.Type)));
        Assert.All(back, r => Assert.Null(r.Liters));
        Assert.All(back, r => Assert.Equal(DateTimeKind.Unspecified, r.Date.Kind));

        using var portal = SqliteHistoryStore.Open(_temp.File("p.db"), write: true);
        portal.Write(7, EglApiKind.Portal, Jan1, Jan31, [V(1, 231.5, 0, 0), V(2, 250, 12.25, null)], null, false, Now);
        var days = portal.Read(7, Jan1, Jan31);
        Assert.Equal([(231.5, (double?)0, (double?)0), (250, 12.25, null)], days.Select(r => (r.Liters!.Value, r.MinimumFlowLitersPerHour, r.EstimatedLeakLiters)));
        Assert.All(days, r => Assert.Null(r.Index));
    }

    [Fact]
    public void Every_reading_type_and_raw_letter_reads_back_as_written()
    {
        using var store = SqliteHistoryStore.Open(_temp.File("h.db"), write: true);
        var types = Enum.GetValues<EglReadingType>();
        string[] raws = ["R", "A", "D", "T", "Z", "é", ""];
        var records = types.Select((t, i) => new EglDayRecord(7, Jan1.AddDays(i), 1000 + i, t, raws[i % raws.Length])).ToList();
        records.Add(new EglDayRecord(7, Jan1.AddDays(types.Length), null, EglReadingType.Unknown, raws[^2]));
        store.Write(7, EglApiKind.Partner, Jan1, Jan31, records, null, false, Now);

        var back = store.Read(7, Jan1, Jan31);
        Assert.Equal(records.Select(r => (r.Date, r.Index, r.Type, r.RawType)), back.Select(r => (r.Date, r.Index, r.Type, r.RawType)));
    }

    [Fact]
    public void State_finds_the_first_day_with_only_pending_records_and_the_last_final_day()
    {
        using var store = SqliteHistoryStore.Open(_temp.File("h.db"), write: true);
        Assert.Null(store.State(7));
        // 1 final; 2 pending then final (not pending any more); 3 pending only; 4 final; 5 pending only.
        store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000), R(2, 1090, "T"), R(2, 1100), R(3, 1200, "T"), R(4, 1300), R(5, 1400, "T")], null, false, Now);

        var state = store.State(7)!;
        Assert.Equal(
            (new DateTime(2025, 1, 1), new DateTime(2025, 1, 5), new DateTime(2025, 1, 3), new DateTime(2025, 1, 4)),
            (state.FirstDay, state.LastDay, state.FirstPendingDay, state.LastFinalDay));

        store.Write(8, EglApiKind.Partner, Jan1, Jan31, [R(9, 1000, "T", 8)], null, false, Now);
        var pendingOnly = store.State(8)!;
        Assert.Equal(((DateTime?)new DateTime(2025, 1, 9), (DateTime?)null), (pendingOnly.FirstPendingDay, pendingOnly.LastFinalDay));
    }

    [Theory]
    [InlineData("UPDATE egl_days SET day = '2025-02-30' WHERE day = '2025-01-02'", "2025-02-30")]
    [InlineData("UPDATE egl_days SET day = '2025-1-02' WHERE day = '2025-01-02'", "2025-1-02")]
    [InlineData("UPDATE egl_days SET day = '2025-01-02T00:00' WHERE day = '2025-01-02'", "2025-01-02T00:00")]
    [InlineData("UPDATE egl_days SET reading_type = 'Reel' WHERE day = '2025-01-02'", "Reel")]
    [InlineData("UPDATE egl_days SET reading_type = 'real' WHERE day = '2025-01-02'", "real")]
    public void A_stored_value_the_schema_does_not_allow_is_EglHistoryInvalid_and_the_file_is_left_untouched(string damage, string shown)
    {
        string path = _temp.File("h.db");
        using (var store = SqliteHistoryStore.Open(path, write: true))
            store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000), R(2, 1100), R(3, 1200)], null, false, Now);
        Exec(path, damage);
        string before = Hash(path);

        using (var reader = SqliteHistoryStore.Open(path, write: false))
        {
            var ex = Assert.Throws<EglHistoryInvalidException>(() => reader.Read(7, Jan1, new DateTime(2025, 12, 31)));
            Assert.Contains(shown, ex.Message);
        }

        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void An_api_the_module_does_not_know_is_EglHistoryInvalid()
    {
        string path = _temp.File("h.db");
        using (var store = SqliteHistoryStore.Open(path, write: true))
            store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000)], null, false, Now);
        Exec(path, "UPDATE egl_subscriptions SET api = 'Efluid' WHERE subscription_number = 7");

        using var reader = SqliteHistoryStore.Open(path, write: false);
        Assert.Contains("'Efluid'", Assert.Throws<EglHistoryInvalidException>(() => reader.Apis()).Message);
        Assert.Throws<EglHistoryInvalidException>(() => reader.State(7));
    }

    [Fact]
    public void Stored_days_parse_as_the_invariant_calendar_does()
    {
        // The store's own day decoder against DateTime.ParseExact, over valid days and near misses.
        Gen.Select(Gen.Int[1, 9999], Gen.Int[0, 13], Gen.Int[0, 32]).Sample((y, m, d) =>
        {
            string text = string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:D4}-{1:D2}-{2:D2}", y, m, d);
            bool valid = DateTime.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var expected);
            var bytes = System.Text.Encoding.ASCII.GetBytes(text);
            if (valid) Assert.Equal(expected, SqliteHistoryStore.DayOf(bytes));
            else Assert.Throws<FormatException>(() => SqliteHistoryStore.DayOf(bytes));
        });
    }

    [Fact]
    public void The_same_answer_twice_changes_nothing_and_keeps_no_revision()
    {
        string path = _temp.File("h.db");
        using var store = SqliteHistoryStore.Open(path, write: true);
        var records = new[] { R(1, 1000), R(2, 1100), R(2, 1090, "T") };
        store.Write(7, EglApiKind.Partner, Jan1, Jan31, records, null, false, Now);
        var again = store.Write(7, EglApiKind.Partner, Jan1, Jan31, records.Reverse().ToArray(), null, false, Now.AddDays(1));
        Assert.Equal((0, 0), (again.Added, again.Changed));
        Assert.Equal(["0"], Query(path, "SELECT COUNT(*) FROM egl_revisions"));
        Assert.Equal(["2025-01-01|2026-03-15T06:00:00.000Z"], Query(path, "SELECT day, fetched_at FROM egl_days WHERE seq = 0 AND day = '2025-01-01'"));
    }

    [Fact]
    public void A_pending_day_that_becomes_final_is_replaced_and_the_pending_record_kept_as_a_revision()
    {
        string path = _temp.File("h.db");
        using var store = SqliteHistoryStore.Open(path, write: true);
        store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000), R(2, 1090, "T")], null, false, Now);
        var w = store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000), R(2, 1100), R(3, 1230, "T")], null, false, Now.AddDays(2));
        Assert.Equal((1, 1), (w.Added, w.Changed));
        Assert.Equal([(1, 1000.0, "R"), (2, 1100.0, "R"), (3, 1230.0, "T")], store.Read(7, Jan1, Jan31).Select(r => (r.Date.Day, r.Index!.Value, r.RawType)));
        Assert.Equal(["2025-01-02|2026-03-17T06:00:00.000Z|1090|T|Pending|2026-03-15T06:00:00.000Z"], Query(path, "SELECT day, replaced_at, index_liters, raw_type, reading_type, fetched_at FROM egl_revisions"));

        var state = store.State(7)!;
        Assert.Equal(new DateTime(2025, 1, 3), state.FirstPendingDay);
        Assert.Equal(new DateTime(2025, 1, 2), state.LastFinalDay);
        Assert.Equal((new DateTime(2025, 1, 1), new DateTime(2025, 1, 3)), (state.FirstDay!.Value, state.LastDay!.Value));
    }

    [Fact]
    public void A_correction_of_a_final_day_is_replaced_with_a_revision_but_pending_never_replaces_final()
    {
        string path = _temp.File("h.db");
        using var store = SqliteHistoryStore.Open(path, write: true);
        store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000), R(2, 1100)], null, false, Now);

        var pendingOnly = store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000), R(2, 1080, "T")], null, false, Now);
        Assert.Equal((0, 0), (pendingOnly.Added, pendingOnly.Changed));
        Assert.Equal(1100, store.Read(7, new DateTime(2025, 1, 2), new DateTime(2025, 1, 2)).Single().Index);

        var corrected = store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000), R(2, 1105)], null, false, Now);
        Assert.Equal((0, 1), (corrected.Added, corrected.Changed));
        Assert.Equal(1105, store.Read(7, new DateTime(2025, 1, 2), new DateTime(2025, 1, 2)).Single().Index);
        Assert.Equal(["1100"], Query(path, "SELECT index_liters FROM egl_revisions"));
    }

    [Fact]
    public void A_stored_day_the_api_no_longer_gives_is_kept_and_records_outside_the_chunk_are_not_written()
    {
        using var store = SqliteHistoryStore.Open(_temp.File("h.db"), write: true);
        store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000), R(2, 1100), R(3, 1200)], null, false, Now);
        var w = store.Write(7, EglApiKind.Partner, new DateTime(2025, 1, 2), new DateTime(2025, 1, 3), [R(3, 1200), R(9, 9999)], null, false, Now);
        Assert.Equal((0, 0), (w.Added, w.Changed));
        Assert.Equal([1, 2, 3], store.Read(7, Jan1, Jan31).Select(r => r.Date.Day));
    }

    [Fact]
    public void Subscriptions_and_their_progress_are_kept_apart()
    {
        using var store = SqliteHistoryStore.Open(_temp.File("h.db"), write: true);
        store.Write(9, EglApiKind.Partner, Jan1, Jan31, [R(1, 5, subscription: 9)], new DateTime(2024, 1, 1), false, Now);
        store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000)], new DateTime(2023, 1, 1), false, Now);
        store.Write(7, EglApiKind.Partner, Jan1, Jan31, [], new DateTime(2022, 1, 1), true, Now);
        store.Write(7, EglApiKind.Partner, Jan1, Jan31, [], null, false, Now); // an incremental write keeps the progress

        Assert.Equal([7L, 9L], store.Subscriptions());
        store.Write(11, EglApiKind.Portal, Jan1, Jan31, [new EglDayRecord(11, Jan1, null, EglReadingType.Real, string.Empty, 250)], null, false, Now);
        Assert.Equal([(7L, EglApiKind.Partner), (9L, EglApiKind.Partner), (11L, EglApiKind.Portal)], store.Apis().OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
        var s7 = store.State(7)!;
        Assert.Equal((new DateTime(2022, 1, 1), true), (s7.HistoryStart!.Value, s7.HistoryComplete));
        var s9 = store.State(9)!;
        Assert.Equal((new DateTime(2024, 1, 1), false), (s9.HistoryStart!.Value, s9.HistoryComplete));
        Assert.Null(store.State(8));
        Assert.Equal(5, store.Read(9, Jan1, Jan31).Single().Index);
    }

    [Fact]
    public void A_subscription_stored_from_one_api_is_refused_to_the_other_and_nothing_is_written()
    {
        string path = _temp.File("h.db");
        using var store = SqliteHistoryStore.Open(path, write: true);
        store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000)], null, false, Now);
        var ex = Assert.Throws<EglHistoryApiMismatchException>(() => store.Write(7, EglApiKind.Portal, Jan1, Jan31, [V(2, 100)], null, false, Now));
        Assert.Equal(7, ex.SubscriptionNumber);
        Assert.Equal([1], store.Read(7, Jan1, Jan31).Select(r => r.Date.Day));
    }

    [Fact]
    public void A_chunk_that_fails_in_the_middle_leaves_nothing_of_itself()
    {
        string path = _temp.File("h.db");
        using (var store = SqliteHistoryStore.Open(path, write: true))
        {
            store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000)], new DateTime(2025, 1, 1), false, Now);
        }

        // A trigger that fails the third day's insert: the first two were written in the same transaction.
        Exec(path, "CREATE TRIGGER fail_third BEFORE INSERT ON egl_days WHEN NEW.day = '2025-01-04' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");

        string before = string.Join(";", Query(path, "SELECT * FROM egl_days")) + string.Join(";", Query(path, "SELECT * FROM egl_subscriptions"));
        using (var store = SqliteHistoryStore.Open(path, write: true))
        {
            var ex = Assert.ThrowsAny<EglException>(() => store.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1001), R(2, 1100), R(3, 1200), R(4, 1300)], new DateTime(2020, 1, 1), true, Now.AddDays(1)));
            Assert.Contains("disk on fire", ex.Message, StringComparison.Ordinal);
        }

        string after = string.Join(";", Query(path, "SELECT * FROM egl_days")) + string.Join(";", Query(path, "SELECT * FROM egl_subscriptions"));
        Assert.Equal(before, after);
        Assert.Equal(["0"], Query(path, "SELECT COUNT(*) FROM egl_revisions"));
    }

    [Fact]
    public void A_second_writer_waits_for_the_first_then_gets_EglHistoryLocked_with_nothing_written()
    {
        string path = _temp.File("h.db");
        using (SqliteHistoryStore.Open(path, write: true))
        {
        }

        using var store = SqliteHistoryStore.Open(path, write: false);
        using var writer = SqliteHistoryStore.Open(path, write: true, busyTimeout: TimeSpan.FromSeconds(1));
        using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        holder.Open();
        using var hold = holder.BeginTransaction(deferred: false);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = Assert.Throws<EglHistoryLockedException>(() => writer.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000)], null, false, Now));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"gave up after {watch.Elapsed}");
        Assert.Equal("EglHistoryLocked", ex.ErrorId);
        hold.Rollback();
        Assert.Empty(store.Read(7, Jan1, Jan31));
    }

    [Fact]
    public async Task A_read_while_another_process_commits_waits_for_it_then_gives_the_committed_days()
    {
        string path = _temp.File("h.db");
        using (var first = SqliteHistoryStore.Open(path, write: true))
            first.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000), R(2, 1100)], null, false, Now);

        using var store = SqliteHistoryStore.Open(path, write: false);
        using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        holder.Open();
        using (var exclusive = holder.CreateCommand())
        {
            // What a commit holds in SQLite's rollback journal: no reader gets in.
            exclusive.CommandText = "BEGIN EXCLUSIVE; INSERT INTO egl_days SELECT subscription_number, '2025-01-03', seq, 1200, reading_type, raw_type, liters, minimum_flow_lph, estimated_leak_liters, fetched_at FROM egl_days WHERE day = '2025-01-02';";
            exclusive.ExecuteNonQuery();
        }

        // The watch starts before the release is queued: however late the test's thread runs, the read cannot
        // return sooner than the 400 ms the commit waits.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var release = Task.Run(async () =>
        {
            await Task.Delay(400);
            using var commit = holder.CreateCommand();
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        });
        var days = store.Read(7, Jan1, Jan31);
        await release;
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.3), $"read after {watch.Elapsed}, while the lock was held");
        Assert.Equal([1000.0, 1100, 1200], days.Select(d => d.Index!.Value));
    }

    [Fact]
    public async Task A_store_the_first_writer_releases_in_time_is_written_by_the_second()
    {
        string path = _temp.File("h.db");
        using (SqliteHistoryStore.Open(path, write: true))
        {
        }

        using var writer = SqliteHistoryStore.Open(path, write: true, busyTimeout: TimeSpan.FromSeconds(20));
        using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        holder.Open();
        var hold = holder.BeginTransaction(deferred: false);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var release = Task.Run(async () =>
        {
            await Task.Delay(300);
            hold.Commit();
        });
        var w = writer.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000)], null, false, Now);
        await release;
        Assert.Equal(1, w.Added);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"wrote after {watch.Elapsed}: it did not wait");
    }

    [Fact]
    public async Task Syncs_that_create_one_new_store_at_once_all_open_it()
    {
        string path = _temp.File("new.db");
        using var start = new Barrier(6);
        var opens = Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            using var store = SqliteHistoryStore.Open(path, write: true);
            return store.Subscriptions().Count;
        }));
        Assert.All(await Task.WhenAll(opens), n => Assert.Equal(0, n));
        Assert.Equal(["version|1"], Query(path, "SELECT name, value FROM egl_schema"));
    }

    [Fact]
    public void A_file_that_is_not_SQLite_is_refused_and_left_untouched()
    {
        string path = _temp.File("notes.txt");
        File.WriteAllText(path, "water readings, not a database\n" + new string('x', 5000));
        string hash = Hash(path);
        var ex = Assert.Throws<EglHistoryInvalidException>(() => SqliteHistoryStore.Open(path, write: true));
        Assert.Contains("not a SQLite file", ex.Message, StringComparison.Ordinal);
        Assert.Equal(hash, Hash(path));
        Assert.False(File.Exists(path + "-journal"));
    }

    [Fact]
    public void Another_applications_database_is_refused_and_left_untouched()
    {
        string path = _temp.File("other.db");
        Exec(path, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('lake.jpg');");

        string hash = Hash(path);
        var ex = Assert.Throws<EglHistoryInvalidException>(() => SqliteHistoryStore.Open(path, write: true));
        Assert.Equal("EglHistoryInvalid", ex.ErrorId);
        Assert.Contains("another application", ex.Message, StringComparison.Ordinal);
        Assert.Equal(hash, Hash(path));
    }

    [Fact]
    public void A_store_of_a_newer_schema_is_refused_for_writing_and_reading_and_left_untouched()
    {
        string path = _temp.File("h.db");
        using (SqliteHistoryStore.Open(path, write: true))
        {
        }

        Exec(path, "UPDATE egl_schema SET value = '2' WHERE name = 'version';");

        string hash = Hash(path);
        foreach (bool write in new[] { true, false })
        {
            var ex = Assert.Throws<EglHistoryVersionException>(() => SqliteHistoryStore.Open(path, write));
            Assert.Equal((2, HistorySchema.Version), (ex.Version, ex.Supported));
            Assert.Contains("newer", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(hash, Hash(path));
    }

    [Fact]
    public void A_store_without_a_valid_version_is_refused()
    {
        string path = _temp.File("h.db");
        using (SqliteHistoryStore.Open(path, write: true))
        {
        }

        Exec(path, "UPDATE egl_schema SET value = 'banana' WHERE name = 'version';");

        Assert.Throws<EglHistoryInvalidException>(() => SqliteHistoryStore.Open(path, write: true));
    }

    [Fact]
    public void Reading_needs_an_existing_store_and_never_creates_or_changes_one()
    {
        string missing = _temp.File("missing.db");
        Assert.Throws<EglHistoryAccessException>(() => SqliteHistoryStore.Open(missing, write: false));
        Assert.False(File.Exists(missing));

        string empty = _temp.File("empty.db");
        File.WriteAllBytes(empty, []);
        Assert.Throws<EglHistoryInvalidException>(() => SqliteHistoryStore.Open(empty, write: false));
        Assert.Equal(0, new FileInfo(empty).Length);

        string path = _temp.File("h.db");
        using (var w = SqliteHistoryStore.Open(path, write: true))
        {
            w.Write(7, EglApiKind.Partner, Jan1, Jan31, [R(1, 1000)], null, false, Now);
        }

        string hash = Hash(path);
        using (var r = SqliteHistoryStore.Open(path, write: false))
        {
            Assert.Single(r.Read(7, Jan1, Jan31));
            Assert.Equal([7L], r.Subscriptions());
        }

        Assert.Equal(hash, Hash(path));
    }

    [Fact]
    public void An_empty_file_becomes_a_store_when_synced_and_a_folder_is_refused()
    {
        string empty = _temp.File("empty.db");
        File.WriteAllBytes(empty, []);
        using (var s = SqliteHistoryStore.Open(empty, write: true))
        {
            Assert.Empty(s.Subscriptions());
        }

        Assert.Equal(["version|1"], Query(empty, "SELECT name, value FROM egl_schema"));
        var ex = Assert.Throws<EglHistoryAccessException>(() => SqliteHistoryStore.Open(_temp.Path, write: true));
        Assert.Contains("folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_place_where_no_file_can_be_created_is_EglHistoryAccess_and_creates_nothing()
    {
        // A folder that is a file: no user, root included, can create a store under it.
        string file = _temp.File("readings.csv");
        File.WriteAllText(file, "Date,Index");
        var ex = Assert.Throws<EglHistoryAccessException>(() => SqliteHistoryStore.Open(System.IO.Path.Combine(file, "h.db"), write: true));
        Assert.Equal("EglHistoryAccess", ex.ErrorId);
        Assert.Equal("Date,Index", File.ReadAllText(file));

        // A read-only file system (procfs on Linux refuses new files, root included).
        if (OperatingSystem.IsLinux())
            Assert.Throws<EglHistoryAccessException>(() => SqliteHistoryStore.Open("/proc/eglwater-history.db", write: true));
    }
}

/// <summary>The merge rule for a day given again.</summary>
public sealed class DayMergeTests
{
    private static EglDayRecord R(double index, string raw = "R") =>
        new(7, new DateTime(2025, 1, 2), index, raw == "T" ? EglReadingType.Pending : EglReadingType.Real, raw);

    [Fact]
    public void Decides_added_unchanged_replaced_and_kept_final()
    {
        Assert.Equal(DayMergeOutcome.Added, DayMerge.Decide(null, [R(1)]));
        Assert.Equal(DayMergeOutcome.Added, DayMerge.Decide([], [R(1)]));
        Assert.Equal(DayMergeOutcome.Unchanged, DayMerge.Decide([R(1), R(0.5, "T")], [R(0.5, "T"), R(1)]));
        Assert.Equal(DayMergeOutcome.Replaced, DayMerge.Decide([R(0.5, "T")], [R(1)]));
        Assert.Equal(DayMergeOutcome.Replaced, DayMerge.Decide([R(0.5, "T")], [R(0.5, "T"), R(1)]));
        Assert.Equal(DayMergeOutcome.Replaced, DayMerge.Decide([R(1)], [R(2)]));
        Assert.Equal(DayMergeOutcome.Replaced, DayMerge.Decide([R(1)], [R(1, "A")]));
        Assert.Equal(DayMergeOutcome.KeptFinal, DayMerge.Decide([R(1)], [R(0.9, "T")]));
        Assert.Equal(DayMergeOutcome.Replaced, DayMerge.Decide([R(0.4, "T")], [R(0.9, "T")]));
    }
}
