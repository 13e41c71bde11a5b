using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using EglWater.Store;

namespace EglWater.Store.Sqlite
{
    /// <summary>
    /// The history store in one SQLite file (the default store). Opened for a sync, it is created when missing,
    /// upgraded when older; whatever it does not understand (not a SQLite file, another application's database, a
    /// newer schema) is refused before anything is written. Each chunk is written in one IMMEDIATE transaction:
    /// a process killed in the middle leaves whole chunks only, and a second writer waits (busy time-out) or gets
    /// EglHistoryLocked. Reads are plain queries, in C#: no pipeline in between. Safe for concurrent callers (one
    /// connection, taken in turn).
    /// </summary>
    internal sealed class SqliteHistoryStore : IHistoryStore
    {
        /// <summary>How long a writer waits for another one's transaction before giving up (EglHistoryLocked).</summary>
        public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

        private const int SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoError = 10, SqliteCantOpen = 14, SqliteNotADatabase = 26, SqlitePermission = 3, SqliteAuth = 23;
        private static readonly byte[] Header = Encoding.ASCII.GetBytes("SQLite format 3\0");
        private static readonly object InitGate = new object();
        private static bool _initialized;

        private readonly SqliteConnection _connection;
        private readonly TimeSpan _busyTimeout;

        // One connection, one caller at a time: syncs of several subscriptions (-ThrottleLimit) fetch in parallel
        // and take turns here to write.
        private readonly object _gate = new object();

        private SqliteHistoryStore(string location, SqliteConnection connection, TimeSpan busyTimeout)
        {
            Location = location;
            _connection = connection;
            _busyTimeout = busyTimeout;
        }

        public string Location { get; }

        /// <summary>Opens (for a sync: creates, upgrades) the store at <paramref name="path"/>.</summary>
        /// <param name="busyTimeout">How long to wait for another writer (default <see cref="BusyTimeout"/>; tests shorten it).</param>
        public static SqliteHistoryStore Open(string path, bool write, TimeSpan? busyTimeout = null)
        {
            TimeSpan wait = busyTimeout ?? BusyTimeout;
            string full;
            try
            {
                full = Path.GetFullPath(path);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                throw new EglHistoryAccessException(path, "it is not a valid path", ex);
            }

            if (Directory.Exists(full)) throw new EglHistoryAccessException(full, "it is a folder; give the path of a file");
            bool exists = File.Exists(full);
            if (!exists && !write) throw new EglHistoryAccessException(full, "there is no store there yet (a sync creates it)");
            if (exists) CheckHeader(full);
            if (!exists)
            {
                try
                {
                    string? directory = Path.GetDirectoryName(full);
                    if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new EglHistoryAccessException(full, "its folder cannot be created (" + ex.Message + ")", ex);
                }
            }

            EnsureSqlite();
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = full,
                // A reader opens read-write (never creating) although it writes nothing: after a writer was killed
                // in a transaction, SQLite must roll its hot journal back before anyone reads, which a read-only
                // connection cannot do. A file the user may not write still opens (SQLite falls back to read-only).
                Mode = write ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)),
            };
            var connection = new SqliteConnection(builder.ToString());
            try
            {
                connection.Open();
                var store = new SqliteHistoryStore(full, connection, wait);
                store.Prepare(write, exists);
                return store;
            }
            catch (SqliteException ex)
            {
                connection.Dispose();
                throw Translate(full, ex, wait);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public IReadOnlyList<long> Subscriptions()
        {
            lock (_gate) return SubscriptionsCore();
        }

        public IReadOnlyDictionary<long, EglApiKind> Apis()
        {
            lock (_gate)
            {
                using var command = Command("SELECT subscription_number, api FROM egl_subscriptions");
                var apis = new Dictionary<long, EglApiKind>();
                using var reader = Run(command);
                while (reader.Read()) apis[reader.GetInt64(0)] = ApiOf(reader.GetString(1));
                return apis;
            }
        }

        public HistorySubscriptionState? State(long subscriptionNumber)
        {
            lock (_gate) return StateCore(subscriptionNumber);
        }

        public HistoryWrite Write(long subscriptionNumber, EglApiKind api, DateTime from, DateTime to, IReadOnlyList<EglDayRecord> records, DateTime? historyStart, bool historyComplete, DateTimeOffset now)
        {
            lock (_gate) return WriteLocked(subscriptionNumber, api, from, to, records, historyStart, historyComplete, now);
        }

        public IReadOnlyList<EglDayRecord> Read(long subscriptionNumber, DateTime from, DateTime to)
        {
            lock (_gate) return ReadLocked(subscriptionNumber, from, to);
        }

        /// <summary>
        /// Always granted: two syncs of one subscription in one SQLite file take turns chunk by chunk (each chunk's
        /// transaction holds the file's write lock) and converge to the same days; there is no worker to skip.
        /// </summary>
        public IDisposable? TryLock(long subscriptionNumber) => NoLock.Instance;

        public void Dispose()
        {
            lock (_gate) _connection.Dispose();
        }

        private IReadOnlyList<long> SubscriptionsCore()
        {
            using var command = Command("SELECT subscription_number FROM egl_subscriptions ORDER BY subscription_number");
            var list = new List<long>();
            using var reader = Run(command);
            while (reader.Read()) list.Add(reader.GetInt64(0));
            return list;
        }

        private HistorySubscriptionState? StateCore(long subscriptionNumber)
        {
            using var head = Command("SELECT api, history_start, history_complete FROM egl_subscriptions WHERE subscription_number = $s", ("$s", subscriptionNumber));
            EglApiKind api;
            DateTime? historyStart;
            bool complete;
            using (var reader = Run(head))
            {
                if (!reader.Read()) return null;
                api = ApiOf(reader.GetString(0));
                historyStart = reader.IsDBNull(1) ? (DateTime?)null : Day(reader.GetString(1));
                complete = reader.GetInt64(2) != 0;
            }

            using var days = Command(
                // Each part walks the primary key (subscription, day, seq): the first and last days directly, the
                // pending records of the subscription with a look-up of their day, the last final day backwards.
                @"SELECT (SELECT MIN(day) FROM egl_days WHERE subscription_number = $s),
                    (SELECT MAX(day) FROM egl_days WHERE subscription_number = $s),
                    (SELECT MIN(p.day) FROM egl_days p WHERE p.subscription_number = $s AND p.reading_type = 'Pending'
                        AND NOT EXISTS (SELECT 1 FROM egl_days f WHERE f.subscription_number = $s AND f.day = p.day AND f.reading_type <> 'Pending')),
                    (SELECT day FROM egl_days WHERE subscription_number = $s AND reading_type <> 'Pending' ORDER BY day DESC LIMIT 1)",
                ("$s", subscriptionNumber));
            using var r = Run(days);
            r.Read();
            return new HistorySubscriptionState(subscriptionNumber, api, historyStart, complete, OptionalDay(r, 0), OptionalDay(r, 1), OptionalDay(r, 2), OptionalDay(r, 3));
        }

        private HistoryWrite WriteLocked(long subscriptionNumber, EglApiKind api, DateTime from, DateTime to, IReadOnlyList<EglDayRecord> records, DateTime? historyStart, bool historyComplete, DateTimeOffset now)
        {
            string stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            SqliteTransaction transaction;
            try
            {
                transaction = _connection.BeginTransaction(deferred: false);
            }
            catch (SqliteException ex)
            {
                throw Translate(Location, ex, _busyTimeout);
            }

            using (transaction)
            {
                try
                {
                    var result = WriteCore(transaction, subscriptionNumber, api, from, to, records, historyStart, historyComplete, stamp);
                    transaction.Commit();
                    return result;
                }
                catch (SqliteException ex)
                {
                    throw Translate(Location, ex, _busyTimeout);
                }
                catch (FormatException ex)
                {
                    throw new EglHistoryInvalidException(Location, ex.Message, ex);
                }
            }
        }

        private HistoryWrite WriteCore(SqliteTransaction transaction, long subscription, EglApiKind api, DateTime from, DateTime to, IReadOnlyList<EglDayRecord> records, DateTime? historyStart, bool historyComplete, string stamp)
        {
            using (var check = Command("SELECT api FROM egl_subscriptions WHERE subscription_number = $s", ("$s", subscription)))
            {
                check.Transaction = transaction;
                if (check.ExecuteScalar() is string storedApi && !string.Equals(storedApi, api.ToString(), StringComparison.Ordinal))
                    throw new EglHistoryApiMismatchException(Location, subscription, storedApi, api.ToString());
            }

            using (var upsert = Command(
                @"INSERT INTO egl_subscriptions (subscription_number, api, history_start, history_complete, last_sync_at)
                  VALUES ($s, $api, $start, $complete, $now)
                  ON CONFLICT (subscription_number) DO UPDATE SET
                    history_start = CASE WHEN excluded.history_start IS NULL THEN egl_subscriptions.history_start
                                         WHEN egl_subscriptions.history_start IS NULL OR excluded.history_start < egl_subscriptions.history_start THEN excluded.history_start
                                         ELSE egl_subscriptions.history_start END,
                    history_complete = MAX(egl_subscriptions.history_complete, excluded.history_complete),
                    last_sync_at = excluded.last_sync_at",
                ("$s", subscription),
                ("$api", api.ToString()),
                ("$start", historyStart is { } h ? (object)DayText(h) : DBNull.Value),
                ("$complete", historyComplete ? 1 : 0),
                ("$now", stamp)))
            {
                upsert.Transaction = transaction;
                upsert.ExecuteNonQuery();
            }

            var stored = new Dictionary<DateTime, List<EglDayRecord>>();
            foreach (var r in ReadCore(subscription, from, to))
            {
                if (!stored.TryGetValue(r.Date, out var list)) stored[r.Date] = list = new List<EglDayRecord>();
                list.Add(r);
            }

            using var insert = Command(
                @"INSERT INTO egl_days (subscription_number, day, seq, index_liters, reading_type, raw_type, liters, minimum_flow_lph, estimated_leak_liters, fetched_at)
                  VALUES ($s, $day, $seq, $index, $type, $raw, $liters, $flow, $leak, $at)");
            insert.Transaction = transaction;
            var p = AddParameters(insert, "$s", "$day", "$seq", "$index", "$type", "$raw", "$liters", "$flow", "$leak", "$at");
            using var revision = Command(
                @"INSERT INTO egl_revisions (subscription_number, day, replaced_at, seq, index_liters, reading_type, raw_type, liters, minimum_flow_lph, estimated_leak_liters, fetched_at)
                  SELECT subscription_number, day, $now, seq, index_liters, reading_type, raw_type, liters, minimum_flow_lph, estimated_leak_liters, fetched_at
                  FROM egl_days WHERE subscription_number = $s AND day = $day");
            revision.Transaction = transaction;
            var rp = AddParameters(revision, "$now", "$s", "$day");
            using var delete = Command("DELETE FROM egl_days WHERE subscription_number = $s AND day = $day");
            delete.Transaction = transaction;
            var dp = AddParameters(delete, "$s", "$day");

            int added = 0, changed = 0;
            foreach (var day in records.Where(r => r.Date >= from && r.Date <= to).GroupBy(r => r.Date).OrderBy(g => g.Key))
            {
                var incoming = day.ToList();
                stored.TryGetValue(day.Key, out var before);
                var outcome = DayMerge.Decide(before, incoming);
                if (outcome == DayMergeOutcome.Unchanged || outcome == DayMergeOutcome.KeptFinal) continue;
                string dayText = DayText(day.Key);
                if (outcome == DayMergeOutcome.Replaced)
                {
                    Set(rp, stamp, subscription, dayText);
                    revision.ExecuteNonQuery();
                    Set(dp, subscription, dayText);
                    delete.ExecuteNonQuery();
                    changed++;
                }
                else
                {
                    added++;
                }

                for (int seq = 0; seq < incoming.Count; seq++)
                {
                    var r = incoming[seq];
                    Set(p, subscription, dayText, seq, Nullable(r.Index), r.Type.ToString(), r.RawType, Nullable(r.Liters), Nullable(r.MinimumFlowLitersPerHour), Nullable(r.EstimatedLeakLiters), stamp);
                    insert.ExecuteNonQuery();
                }
            }

            return new HistoryWrite(added, changed);
        }

        private IReadOnlyList<EglDayRecord> ReadLocked(long subscriptionNumber, DateTime from, DateTime to)
        {
            try
            {
                return ReadCore(subscriptionNumber, from, to);
            }
            catch (SqliteException ex)
            {
                throw Translate(Location, ex, _busyTimeout);
            }
            catch (FormatException ex)
            {
                throw new EglHistoryInvalidException(Location, ex.Message, ex);
            }
        }


        private const string ReadSql =
            @"SELECT day, index_liters, reading_type, raw_type, liters, minimum_flow_lph, estimated_leak_liters
              FROM egl_days WHERE subscription_number = ?1 AND day >= ?2 AND day <= ?3 ORDER BY day, seq";

        /// <summary>
        /// The stored records of [from, to], in date order. The hot path of every read of a store (about 110,000
        /// rows for 100 subscriptions × 3 years), so it steps SQLite's statement itself on the connection's handle
        /// (inside whatever transaction the connection is in) and decodes the day and the type from their UTF-8
        /// bytes: ParseExact, Enum.Parse and a string per column cost more than SQLite's reading. A value the
        /// schema does not allow (a day that is not yyyy-MM-dd, an unknown type) is EglHistoryInvalid.
        /// </summary>
        private List<EglDayRecord> ReadCore(long subscription, DateTime from, DateTime to)
        {
            var db = _connection.Handle ?? throw new ObjectDisposedException(nameof(SqliteHistoryStore));
            int rc = raw.sqlite3_prepare_v2(db, ReadSql, out sqlite3_stmt statement);
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
            using (statement)
            {
                raw.sqlite3_bind_int64(statement, 1, subscription);
                raw.sqlite3_bind_text(statement, 2, DayText(from));
                raw.sqlite3_bind_text(statement, 3, DayText(to));
                var list = new List<EglDayRecord>();
                var rawTypes = new RawTypeCache();
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while (true)
                {
                    rc = raw.sqlite3_step(statement);
                    if (rc != raw.SQLITE_ROW)
                    {
                        // Another process holds the file's write lock (a sync committing a chunk): wait for it as
                        // Microsoft.Data.Sqlite's own commands do (SQLite's busy handler is not set on the
                        // connection), up to the store's busy time-out, then read again from the start.
                        if (((rc & 0xFF) == SqliteBusy || (rc & 0xFF) == SqliteLocked) && waited.Elapsed < _busyTimeout)
                        {
                            raw.sqlite3_reset(statement);
                            list.Clear();
                            System.Threading.Thread.Sleep(20);
                            continue;
                        }

                        break;
                    }

                    list.Add(new EglDayRecord(
                        subscription,
                        DayOf(raw.sqlite3_column_blob(statement, 0)),
                        OptionalDouble(statement, 1),
                        TypeOf(raw.sqlite3_column_blob(statement, 2)),
                        rawTypes.Get(raw.sqlite3_column_blob(statement, 3)),
                        OptionalDouble(statement, 4),
                        OptionalDouble(statement, 5),
                        OptionalDouble(statement, 6)));
                }

                if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
                return list;
            }
        }

        private static double? OptionalDouble(sqlite3_stmt statement, int i) =>
            raw.sqlite3_column_type(statement, i) == raw.SQLITE_NULL ? (double?)null : raw.sqlite3_column_double(statement, i);

        /// <summary>A stored API name, else the store is refused (another tool, or a newer module, wrote it).</summary>
        private EglApiKind ApiOf(string text) => text switch
        {
            nameof(EglApiKind.Partner) => EglApiKind.Partner,
            nameof(EglApiKind.Portal) => EglApiKind.Portal,
            _ => throw new EglHistoryInvalidException(Location, "it holds an API this module does not know: '" + text + "'"),
        };

        /// <summary>A stored day, yyyy-MM-dd in ASCII, as a calendar day.</summary>
        internal static DateTime DayOf(ReadOnlySpan<byte> text)
        {
            if (text.Length == 10 && text[4] == (byte)'-' && text[7] == (byte)'-'
                && TryDigits(text.Slice(0, 4), out int year) && TryDigits(text.Slice(5, 2), out int month) && TryDigits(text.Slice(8, 2), out int day)
                && year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
            {
                return new DateTime(year, month, day);
            }

            throw new FormatException("a stored day is not a date (yyyy-MM-dd): '" + Encoding.UTF8.GetString(text.ToArray()) + "'");
        }

        private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
        {
            value = 0;
            foreach (byte b in text)
            {
                if (b < (byte)'0' || b > (byte)'9') return false;
                value = (value * 10) + (b - '0');
            }

            return true;
        }

        /// <summary>A stored reading type (the enum's name, as written) as the enum.</summary>
        internal static EglReadingType TypeOf(ReadOnlySpan<byte> text)
        {
            // The names differ by length or first letter: Real, Anomaly, MeterChange, Pending, Unknown.
            EglReadingType? type = text.Length switch
            {
                4 => EglReadingType.Real,
                7 when text[0] == (byte)'A' => EglReadingType.Anomaly,
                7 when text[0] == (byte)'P' => EglReadingType.Pending,
                7 when text[0] == (byte)'U' => EglReadingType.Unknown,
                11 => EglReadingType.MeterChange,
                _ => null,
            };
            if (type is { } t && Matches(text, TypeNames[(int)t])) return t;
            throw new FormatException("a stored reading type is unknown: '" + Encoding.UTF8.GetString(text.ToArray()) + "'");
        }

        private static readonly byte[][] TypeNames = Enum.GetNames(typeof(EglReadingType)).Select(n => Encoding.ASCII.GetBytes(n)).ToArray();

        private static bool Matches(ReadOnlySpan<byte> text, byte[] expected) => text.SequenceEqual(expected);

        /// <summary>The raw types of one read as strings, each decoded once (a store holds a handful: R, T, D, A).</summary>
        private sealed class RawTypeCache
        {
            private readonly List<(byte[] Bytes, string Text)> _seen = new List<(byte[], string)>(4);

            public string Get(ReadOnlySpan<byte> text)
            {
                foreach (var (bytes, known) in _seen)
                {
                    if (text.SequenceEqual(bytes)) return known;
                }

                var copy = text.ToArray();
                string decoded = Encoding.UTF8.GetString(copy);
                if (_seen.Count < 64) _seen.Add((copy, decoded));
                return decoded;
            }
        }

        /// <summary>Checks the schema; creates it in an empty store, upgrades an older one (write only), refuses anything else.</summary>
        private void Prepare(bool write, bool existed)
        {
            Check(SchemaVersion(null, out bool hasOtherTables), hasOtherTables, write, existed);
            if (!write) return;

            // A write now: it fails here, before any request, on a read-only file or folder. The version is read again
            // under the write lock: another sync may have created or upgraded the store in between.
            using var transaction = _connection.BeginTransaction(deferred: false);
            int version = SchemaVersion(transaction, out hasOtherTables);
            Check(version, hasOtherTables, write, existed);
            var migrations = HistorySchema.Migrations(HistoryDialect.Sqlite);
            for (int v = version; v < HistorySchema.Version; v++)
            {
                using var migrate = Command(migrations[v]);
                migrate.Transaction = transaction;
                migrate.ExecuteNonQuery();
            }

            if (version < HistorySchema.Version)
            {
                using var stamp = Command(
                    "INSERT INTO egl_schema (name, value) VALUES ('version', $v) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    ("$v", HistorySchema.Version.ToString(CultureInfo.InvariantCulture)));
                stamp.Transaction = transaction;
                stamp.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        private void Check(int version, bool hasOtherTables, bool write, bool existed)
        {
            if (version == 0 && hasOtherTables) throw new EglHistoryInvalidException(Location, "a SQLite database of another application (it has tables but no egl_schema)");
            if (version == 0 && !write) throw new EglHistoryInvalidException(Location, existed ? "an empty SQLite database" : "no store");
            if (version > HistorySchema.Version) throw new EglHistoryVersionException(Location, version, HistorySchema.Version);
            if (version < HistorySchema.Version && !write) throw new EglHistoryVersionException(Location, version, HistorySchema.Version);
        }

        private int SchemaVersion(SqliteTransaction? transaction, out bool hasOtherTables)
        {
            using var tables = Command("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
            tables.Transaction = transaction;
            var names = new List<string>();
            using (var reader = tables.ExecuteReader())
            {
                while (reader.Read()) names.Add(reader.GetString(0));
            }

            hasOtherTables = names.Count > 0;
            if (!names.Contains("egl_schema")) return 0;
            using var version = Command("SELECT value FROM egl_schema WHERE name = 'version'");
            version.Transaction = transaction;
            object? value = version.ExecuteScalar();
            if (value is not string text || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < 1)
                throw new EglHistoryInvalidException(Location, "its egl_schema table has no valid version");
            return v;
        }

        private static void CheckHeader(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (stream.Length == 0) return; // an empty file is an empty database
                var head = new byte[Header.Length];
                int read = 0;
                while (read < head.Length)
                {
                    int n = stream.Read(head, read, head.Length - read);
                    if (n == 0) break;
                    read += n;
                }

                if (read < head.Length || !head.SequenceEqual(Header)) throw new EglHistoryInvalidException(path, "it is not a SQLite file");
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException)
            {
                throw new EglHistoryAccessException(path, "it cannot be read (" + ex.Message + ")", ex);
            }
        }

        /// <summary>SQLite's own errors as the module's: locked, read-only, not a database, cannot open.</summary>
        private static EglException Translate(string location, SqliteException ex, TimeSpan waited) => ex.SqliteErrorCode switch
        {
            SqliteBusy or SqliteLocked => new EglHistoryLockedException(location, waited, ex),
            SqliteReadOnly or SqliteCantOpen or SqlitePermission or SqliteAuth or SqliteIoError => new EglHistoryAccessException(location, "SQLite cannot write or open it (" + ex.Message + ")", ex),
            SqliteNotADatabase => new EglHistoryInvalidException(location, "it is not a SQLite file", ex),
            _ => new EglHistoryInvalidException(location, "SQLite error " + ex.SqliteErrorCode.ToString(CultureInfo.InvariantCulture) + ": " + ex.Message, ex),
        };

        private static void EnsureSqlite()
        {
            lock (InitGate)
            {
                if (_initialized) return;
                NativePreload.EnsureLoaded("e_sqlite3");
                SQLitePCL.Batteries_V2.Init();
                _initialized = true;
            }
        }

        private SqliteDataReader Run(SqliteCommand command)
        {
            try
            {
                return command.ExecuteReader();
            }
            catch (SqliteException ex)
            {
                throw Translate(Location, ex, _busyTimeout);
            }
        }

        private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            return command;
        }

        private static SqliteParameter[] AddParameters(SqliteCommand command, params string[] names) =>
            names.Select(n => command.Parameters.Add(n, SqliteType.Text)).ToArray();

        private static void Set(SqliteParameter[] parameters, params object[] values)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                object value = values[i];
                parameters[i].SqliteType = value switch
                {
                    long or int => SqliteType.Integer,
                    double => SqliteType.Real,
                    _ => SqliteType.Text,
                };
                parameters[i].Value = value;
            }
        }

        private static object Nullable(double? value) => value.HasValue ? (object)value.Value : DBNull.Value;

        private static double? Optional(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? (double?)null : reader.GetDouble(i);

        private static DateTime? OptionalDay(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? (DateTime?)null : Day(reader.GetString(i));

        private static string DayText(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static DateTime Day(string text) => DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None);

        private sealed class NoLock : IDisposable
        {
            public static readonly NoLock Instance = new NoLock();

            public void Dispose()
            {
            }
        }
    }
}
