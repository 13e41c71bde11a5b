using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security;
using Npgsql;
using NpgsqlTypes;

namespace EglWater.Store.Postgres
{
    /// <summary>
    /// The history store in a PostgreSQL database, for fleets: the same schema as the SQLite store (its PostgreSQL
    /// dialect, <see cref="HistorySchema"/>), created by the first sync under a transaction-level advisory lock so
    /// that two workers starting together create it once. Each chunk is one transaction: the records the API gave go
    /// into a temporary staging table by binary COPY, then one upsert keyed by (subscription, day, seq) moves them;
    /// the days they replace are copied into egl_revisions first. A per-subscription advisory lock (session level,
    /// on a connection of its own) keeps two workers from syncing one subscription at the same time. Connections come
    /// from one pool: safe for concurrent callers. The password never leaves the connection.
    /// </summary>
    internal sealed class PostgresHistoryStore : IHistoryStore
    {
        // Advisory lock keys: one for the schema's creation, one space for the subscriptions ("EGLW" in the high half).
        private const long SchemaLockKey = 0x45474C57_00000000L;
        private const long SubscriptionLockSpace = 0x45474C57_00000000L;

        /// <summary>The most subscriptions one command syncs at once (the largest throttle the cmdlet accepts).</summary>
        internal const int MaxConcurrentSyncs = 64;

        private readonly NpgsqlDataSource _source;
        private readonly NpgsqlDataSource _locks;

        private PostgresHistoryStore(NpgsqlDataSource source, NpgsqlDataSource locks, string location)
        {
            _source = source;
            _locks = locks;
            Location = location;
        }

        public string Location { get; }

        /// <summary>
        /// A connection string without its secrets: what messages and results show. Every keyword that names a
        /// password or a password file goes (Password, Passfile, SSL Password, and any that a later Npgsql adds
        /// with "pass" in its name): a list of what to remove, not of what to keep, would let a new one through.
        /// </summary>
        public static string Describe(string connectionString)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                foreach (string key in builder.Keys.Cast<string>().ToList())
                {
                    if (key.IndexOf("pass", StringComparison.OrdinalIgnoreCase) >= 0 || key.IndexOf("pwd", StringComparison.OrdinalIgnoreCase) >= 0) builder.Remove(key);
                }

                return builder.ConnectionString;
            }
            catch (ArgumentException)
            {
                return "(a connection string that cannot be read)";
            }
        }

        /// <summary>Opens the store (for a sync: creates or upgrades its schema); refuses what it does not understand.</summary>
        public static PostgresHistoryStore Open(string connectionString, string? userName, SecureString? password, bool write)
        {
            string location = Describe(connectionString);
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException ex)
            {
                // Npgsql's message may quote a piece of a value (a password with an unquoted ';' becomes a keyword of
                // its own): say what to check, never what was read. The exception itself is not kept either.
                _ = ex;
                throw new EglHistoryAccessException(location, "the connection string cannot be read: a keyword is unknown or a value is malformed (put a value that holds ';' or '=' in double quotes)");
            }

            if (string.IsNullOrEmpty(builder.Host)) throw new EglHistoryAccessException(location, "the connection string names no Host");
            if (!string.IsNullOrEmpty(userName)) builder.Username = userName;
            if (password is not null) builder.Password = Plain(password);
            builder.PersistSecurityInfo = false;
            builder.ApplicationName ??= "EglWater";

            // The store runs its commands synchronously, which a multiplexing data source refuses.
            builder.Multiplexing = false;

            // The locks' connections below are reset when they go back to their pool (DISCARD ALL also drops any advisory
            // lock left). The data connections are not: their temporary staging table (ON COMMIT DELETE ROWS: empty
            // between transactions) then lives as long as the connection, instead of being created again for every
            // chunk, which cost PostgreSQL more CPU than the writes themselves (a fleet's first sync: about a third of
            // its CPU). Npgsql still rolls back a transaction left open when a connection returns to its pool.
            var data = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { NoResetOnClose = true };

            // The subscriptions' advisory locks each hold a connection for a whole sync: from a pool of their own
            // (another Application Name is another pool), so that the locks of concurrent syncs never take the connections
            // the syncs need to read and write, whatever Maximum Pool Size says.
            // Each running sync holds one of them for as long as it runs: the pool must have room for the most syncs
            // one command runs at once, whatever Maximum Pool Size the user chose for the data connections.
            var locks = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { ApplicationName = builder.ApplicationName + " (locks)" };
            locks.MaxPoolSize = Math.Max(locks.MaxPoolSize, MaxConcurrentSyncs);
            var store = new PostgresHistoryStore(NpgsqlDataSource.Create(data.ConnectionString), NpgsqlDataSource.Create(locks.ConnectionString), location);
            try
            {
                store.Prepare(write);
                return store;
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }

        public IReadOnlyList<long> Subscriptions() => Run(connection =>
        {
            using var command = Command(connection, "SELECT subscription_number FROM egl_subscriptions ORDER BY subscription_number");
            using var reader = command.ExecuteReader();
            var list = new List<long>();
            while (reader.Read()) list.Add(reader.GetInt64(0));
            return list;
        });

        public IReadOnlyDictionary<long, EglApiKind> Apis() => Run(connection =>
        {
            using var command = Command(connection, "SELECT subscription_number, api FROM egl_subscriptions");
            using var reader = command.ExecuteReader();
            var apis = new Dictionary<long, EglApiKind>();
            while (reader.Read()) apis[reader.GetInt64(0)] = Known<EglApiKind>(reader.GetString(1), "API");
            return (IReadOnlyDictionary<long, EglApiKind>)apis;
        });

        public HistorySubscriptionState? State(long subscriptionNumber) => Run(connection =>
        {
            EglApiKind api;
            DateTime? start;
            bool complete;
            using (var head = Command(connection, "SELECT api, history_start, history_complete FROM egl_subscriptions WHERE subscription_number = @s", ("s", subscriptionNumber)))
            using (var reader = head.ExecuteReader())
            {
                if (!reader.Read()) return null;
                api = Known<EglApiKind>(reader.GetString(0), "API");
                start = reader.IsDBNull(1) ? (DateTime?)null : reader.GetDateTime(1);
                complete = reader.GetBoolean(2);
            }

            using var days = Command(
                connection,
                // Each part walks the primary key (subscription, day, seq) instead of grouping all the days.
                @"SELECT (SELECT MIN(day) FROM egl_days WHERE subscription_number = @s),
                    (SELECT MAX(day) FROM egl_days WHERE subscription_number = @s),
                    (SELECT MIN(p.day) FROM egl_days p WHERE p.subscription_number = @s AND p.reading_type = 'Pending'
                        AND NOT EXISTS (SELECT 1 FROM egl_days f WHERE f.subscription_number = @s AND f.day = p.day AND f.reading_type <> 'Pending')),
                    (SELECT day FROM egl_days WHERE subscription_number = @s AND reading_type <> 'Pending' ORDER BY day DESC LIMIT 1)",
                ("s", subscriptionNumber));
            using var r = days.ExecuteReader();
            r.Read();
            return new HistorySubscriptionState(subscriptionNumber, api, start, complete, OptionalDay(r, 0), OptionalDay(r, 1), OptionalDay(r, 2), OptionalDay(r, 3));
        });

        public HistoryWrite Write(long subscriptionNumber, EglApiKind api, DateTime from, DateTime to, IReadOnlyList<EglDayRecord> records, DateTime? historyStart, bool historyComplete, DateTimeOffset now) => Run(connection =>
        {
            var stamp = DateTime.SpecifyKind(now.UtcDateTime, DateTimeKind.Utc);
            using var transaction = connection.BeginTransaction();
            using (var check = Command(connection, "SELECT api FROM egl_subscriptions WHERE subscription_number = @s FOR UPDATE", ("s", subscriptionNumber)))
            {
                check.Transaction = transaction;
                if (check.ExecuteScalar() is string storedApi && !string.Equals(storedApi, api.ToString(), StringComparison.Ordinal))
                    throw new EglHistoryApiMismatchException(Location, subscriptionNumber, storedApi, api.ToString());
            }

            using (var upsert = Command(
                connection,
                @"INSERT INTO egl_subscriptions (subscription_number, api, history_start, history_complete, last_sync_at)
                  VALUES (@s, @api, @start, @complete, @now)
                  ON CONFLICT (subscription_number) DO UPDATE SET
                    history_start = CASE WHEN EXCLUDED.history_start IS NULL THEN egl_subscriptions.history_start
                                         ELSE LEAST(EXCLUDED.history_start, COALESCE(egl_subscriptions.history_start, EXCLUDED.history_start)) END,
                    history_complete = egl_subscriptions.history_complete OR EXCLUDED.history_complete,
                    last_sync_at = EXCLUDED.last_sync_at",
                ("s", subscriptionNumber),
                ("api", api.ToString()),
                ("start", historyStart is { } h ? (object)h.Date : DBNull.Value),
                ("complete", historyComplete),
                ("now", stamp)))
            {
                upsert.Parameters["start"].NpgsqlDbType = NpgsqlDbType.Date;
                upsert.Transaction = transaction;
                upsert.ExecuteNonQuery();
            }

            var stored = ReadCore(connection, transaction, subscriptionNumber, from, to)
                .GroupBy(r => r.Date)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<EglDayRecord>)g.ToList());
            var replaced = new List<DateTime>();
            var written = new List<IReadOnlyList<EglDayRecord>>();
            int added = 0;
            foreach (var day in records.Where(r => r.Date >= from && r.Date <= to).GroupBy(r => r.Date).OrderBy(g => g.Key))
            {
                var incoming = day.ToList();
                stored.TryGetValue(day.Key, out var before);
                switch (DayMerge.Decide(before, incoming))
                {
                    case DayMergeOutcome.Added:
                        added++;
                        written.Add(incoming);
                        break;
                    case DayMergeOutcome.Replaced:
                        replaced.Add(day.Key);
                        written.Add(incoming);
                        break;
                }
            }

            if (replaced.Count > 0)
            {
                using var keep = Command(
                    connection,
                    @"INSERT INTO egl_revisions (subscription_number, day, replaced_at, seq, index_liters, reading_type, raw_type, liters, minimum_flow_lph, estimated_leak_liters, fetched_at)
                      SELECT subscription_number, day, @now, seq, index_liters, reading_type, raw_type, liters, minimum_flow_lph, estimated_leak_liters, fetched_at
                      FROM egl_days WHERE subscription_number = @s AND day = ANY(@days);
                      DELETE FROM egl_days WHERE subscription_number = @s AND day = ANY(@days);",
                    ("s", subscriptionNumber),
                    ("now", stamp),
                    ("days", replaced.ToArray()));
                keep.Parameters["days"].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date;
                keep.Transaction = transaction;
                keep.ExecuteNonQuery();
            }

            if (written.Count > 0)
            {
                using (var staging = Command(connection, "CREATE TEMP TABLE IF NOT EXISTS egl_staging (LIKE egl_days) ON COMMIT DELETE ROWS"))
                {
                    staging.Transaction = transaction;
                    staging.ExecuteNonQuery();
                }

                using (var copy = connection.BeginBinaryImport(
                    "COPY egl_staging (subscription_number, day, seq, index_liters, reading_type, raw_type, liters, minimum_flow_lph, estimated_leak_liters, fetched_at) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var day in written)
                    {
                        for (int seq = 0; seq < day.Count; seq++)
                        {
                            var r = day[seq];
                            copy.StartRow();
                            copy.Write(subscriptionNumber, NpgsqlDbType.Bigint);
                            copy.Write(r.Date, NpgsqlDbType.Date);
                            copy.Write(seq, NpgsqlDbType.Integer);
                            WriteOptional(copy, r.Index);
                            copy.Write(r.Type.ToString(), NpgsqlDbType.Text);
                            copy.Write(r.RawType, NpgsqlDbType.Text);
                            WriteOptional(copy, r.Liters);
                            WriteOptional(copy, r.MinimumFlowLitersPerHour);
                            WriteOptional(copy, r.EstimatedLeakLiters);
                            copy.Write(stamp, NpgsqlDbType.TimestampTz);
                        }
                    }

                    copy.Complete();
                }

                using var move = Command(
                    connection,
                    @"INSERT INTO egl_days SELECT * FROM egl_staging
                      ON CONFLICT (subscription_number, day, seq) DO UPDATE SET
                        index_liters = EXCLUDED.index_liters, reading_type = EXCLUDED.reading_type, raw_type = EXCLUDED.raw_type,
                        liters = EXCLUDED.liters, minimum_flow_lph = EXCLUDED.minimum_flow_lph,
                        estimated_leak_liters = EXCLUDED.estimated_leak_liters, fetched_at = EXCLUDED.fetched_at");
                move.Transaction = transaction;
                move.ExecuteNonQuery();
            }

            transaction.Commit();
            return new HistoryWrite(added, replaced.Count);
        });

        public IReadOnlyList<EglDayRecord> Read(long subscriptionNumber, DateTime from, DateTime to) =>
            Run(connection => (IReadOnlyList<EglDayRecord>)ReadCore(connection, null, subscriptionNumber, from, to));

        /// <summary>A session-level advisory lock on a connection of its own, held until disposed (or the process ends).</summary>
        public IDisposable? TryLock(long subscriptionNumber) => Guard(() =>
        {
            var held = _locks.OpenConnection();
            try
            {
                using var command = Command(held, "SELECT pg_try_advisory_lock(@k)", ("k", SubscriptionLockSpace ^ subscriptionNumber));
                if (command.ExecuteScalar() is true) return (IDisposable?)new AdvisoryLock(held, SubscriptionLockSpace ^ subscriptionNumber);
                held.Dispose();
                return null;
            }
            catch
            {
                held.Dispose();
                throw;
            }
        });

        public void Dispose()
        {
            _source.Dispose();
            _locks.Dispose();
        }

        private void Prepare(bool write) => Run(connection =>
        {
            using var transaction = connection.BeginTransaction();
            if (write)
            {
                using var lockSchema = Command(connection, "SELECT pg_advisory_xact_lock(@k)", ("k", SchemaLockKey));
                lockSchema.Transaction = transaction;
                lockSchema.ExecuteNonQuery();
            }

            int version = SchemaVersion(connection, transaction);
            if (version > HistorySchema.Version) throw new EglHistoryVersionException(Location, version, HistorySchema.Version);
            if (!write)
            {
                if (version == 0) throw new EglHistoryInvalidException(Location, "the database holds no EglWater store yet (a sync creates it)");
                if (version < HistorySchema.Version) throw new EglHistoryVersionException(Location, version, HistorySchema.Version);
                return 0;
            }

            var migrations = HistorySchema.Migrations(HistoryDialect.Postgres);
            for (int v = version; v < HistorySchema.Version; v++)
            {
                using var migrate = Command(connection, migrations[v]);
                migrate.Transaction = transaction;
                migrate.ExecuteNonQuery();
            }

            if (version < HistorySchema.Version)
            {
                using var stamp = Command(
                    connection,
                    "INSERT INTO egl_schema (name, value) VALUES ('version', @v) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                    ("v", HistorySchema.Version.ToString(CultureInfo.InvariantCulture)));
                stamp.Transaction = transaction;
                stamp.ExecuteNonQuery();
            }

            transaction.Commit();
            return 0;
        });

        /// <summary>The schema version: 0 when the database has none of the store's tables; refuses a half or foreign one.</summary>
        private int SchemaVersion(NpgsqlConnection connection, NpgsqlTransaction transaction)
        {
            using var tables = Command(
                connection,
                "SELECT to_regclass('egl_schema') IS NOT NULL, to_regclass('egl_days') IS NOT NULL OR to_regclass('egl_subscriptions') IS NOT NULL OR to_regclass('egl_revisions') IS NOT NULL");
            tables.Transaction = transaction;
            bool schema, others;
            using (var reader = tables.ExecuteReader())
            {
                reader.Read();
                schema = reader.GetBoolean(0);
                others = reader.GetBoolean(1);
            }

            if (!schema)
            {
                if (others) throw new EglHistoryInvalidException(Location, "it has egl_ tables but no egl_schema: another application's tables, or a store damaged by hand");
                return 0;
            }

            using var version = Command(connection, "SELECT value FROM egl_schema WHERE name = 'version'");
            version.Transaction = transaction;
            object? value = version.ExecuteScalar();
            if (value is not string text || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < 1)
                throw new EglHistoryInvalidException(Location, "its egl_schema table has no valid version");
            return v;
        }

        private List<EglDayRecord> ReadCore(NpgsqlConnection connection, NpgsqlTransaction? transaction, long subscription, DateTime from, DateTime to)
        {
            using var command = Command(
                connection,
                @"SELECT day, index_liters, reading_type, raw_type, liters, minimum_flow_lph, estimated_leak_liters
                  FROM egl_days WHERE subscription_number = @s AND day BETWEEN @f AND @t ORDER BY day, seq",
                ("s", subscription),
                ("f", from.Date),
                ("t", to.Date));
            command.Parameters["f"].NpgsqlDbType = NpgsqlDbType.Date;
            command.Parameters["t"].NpgsqlDbType = NpgsqlDbType.Date;
            command.Transaction = transaction;
            using var reader = command.ExecuteReader();
            var list = new List<EglDayRecord>();
            while (reader.Read())
            {
                list.Add(new EglDayRecord(
                    subscription,
                    reader.GetDateTime(0),
                    Optional(reader, 1),
                    ReadingType(reader.GetString(2)),
                    reader.GetString(3),
                    Optional(reader, 4),
                    Optional(reader, 5),
                    Optional(reader, 6)));
            }

            return list;
        }

        /// <summary>Runs one operation on a pooled connection (see <see cref="Guard{T}"/>).</summary>
        private T Run<T>(Func<NpgsqlConnection, T> operation) => Guard(() =>
        {
            using var connection = _source.OpenConnection();
            return operation(connection);
        });

        /// <summary>The server's and the network's failures as the module's errors.</summary>
        private T Guard<T>(Func<T> operation)
        {
            try
            {
                return operation();
            }
            catch (PostgresException ex)
            {
                throw Translate(ex);
            }
            catch (NpgsqlException ex) when (ex.InnerException is SocketException || ex.InnerException is IOException || ex.InnerException is TimeoutException || ex.IsTransient)
            {
                // The network: the server cannot be reached, or the connection was lost.
                throw new EglHistoryUnavailableException(Location, Reason(ex), ex);
            }
            catch (NpgsqlException ex)
            {
                // The client refused to go on: no password for a server that wants one, a TLS requirement...
                throw new EglHistoryAccessException(Location, ex.Message, ex);
            }
            catch (Exception ex) when (ex is SocketException || ex is IOException || ex is TimeoutException)
            {
                throw new EglHistoryUnavailableException(Location, ex.Message, ex);
            }
        }

        private EglException Translate(PostgresException ex)
        {
            string what = "PostgreSQL " + ex.SqlState + ": " + ex.MessageText;
            return ex.SqlState switch
            {
                // Authentication, privileges, a database or role that does not exist.
                "28P01" or "28000" or "42501" or "3D000" or "3F000" => new EglHistoryAccessException(Location, what, ex),

                // Serialization failure, deadlock, lock not available: another worker held what this one needed.
                "40001" or "40P01" or "55P03" => new EglHistoryLockedException(Location, TimeSpan.Zero, ex),

                // The server shut down or restarts, a connection exception, insufficient resources (class 53: disk full,
                // out of memory, too many connections), a statement timed out, or anything the server calls transient:
                // not the user's login or rights, and worth running again later.
                "57P01" or "57P02" or "57P03" or "57014" => new EglHistoryUnavailableException(Location, what, ex),
                _ when ex.SqlState.StartsWith("08", StringComparison.Ordinal) || ex.SqlState.StartsWith("53", StringComparison.Ordinal) || ex.IsTransient
                    => new EglHistoryUnavailableException(Location, what, ex),
                _ => new EglHistoryAccessException(Location, what, ex),
            };
        }

        /// <summary>A stored enum value (an API, a reading type) this module knows, else the store is refused: another tool or a newer module wrote it.</summary>
        private T Known<T>(string text, string what)
            where T : struct
        {
            // The exact name only: Enum.TryParse would take "1", " Portal " or "Real, Anomaly" too.
            if (Array.IndexOf(Enum.GetNames(typeof(T)), text) >= 0) return (T)Enum.Parse(typeof(T), text);
            throw new EglHistoryInvalidException(Location, "it holds a " + what + " this module does not know: '" + text + "'");
        }

        /// <summary>A stored reading type: a switch on the names the store writes, read for every record (Enum.TryParse costs more).</summary>
        private EglReadingType ReadingType(string text) => text switch
        {
            nameof(EglReadingType.Real) => EglReadingType.Real,
            nameof(EglReadingType.Pending) => EglReadingType.Pending,
            nameof(EglReadingType.MeterChange) => EglReadingType.MeterChange,
            nameof(EglReadingType.Anomaly) => EglReadingType.Anomaly,
            nameof(EglReadingType.Unknown) => EglReadingType.Unknown,
            _ => Known<EglReadingType>(text, "reading type"),
        };

        private static string Reason(NpgsqlException ex)
        {
            var inner = ex.InnerException;
            return inner is null ? ex.Message : ex.Message + " (" + inner.Message + ")";
        }

        private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
        {
            var command = new NpgsqlCommand(sql, connection);
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            return command;
        }

        private static void WriteOptional(NpgsqlBinaryImporter copy, double? value)
        {
            if (value is { } v) copy.Write(v, NpgsqlDbType.Double);
            else copy.WriteNull();
        }

        private static double? Optional(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? (double?)null : reader.GetDouble(i);

        private static DateTime? OptionalDay(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? (DateTime?)null : DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Unspecified);

        private static string Plain(SecureString secure)
        {
            IntPtr p = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return Marshal.PtrToStringUni(p) ?? string.Empty;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(p);
            }
        }

        private sealed class AdvisoryLock : IDisposable
        {
            private readonly NpgsqlConnection _connection;
            private readonly long _key;
            private bool _released;

            public AdvisoryLock(NpgsqlConnection connection, long key)
            {
                _connection = connection;
                _key = key;
            }

            public void Dispose()
            {
                if (_released) return;
                _released = true;
                try
                {
                    using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", _connection);
                    command.Parameters.AddWithValue("k", _key);
                    command.ExecuteNonQuery();
                }
                catch (Exception ex) when (ex is NpgsqlException || ex is IOException || ex is InvalidOperationException)
                {
                    // The connection is gone: the server released the lock with it.
                }
                finally
                {
                    _connection.Dispose();
                }
            }
        }
    }
}
