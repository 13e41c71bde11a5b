using System.Collections.Generic;

namespace EglWater.Store
{
    /// <summary>The SQL dialects of the history store.</summary>
    internal enum HistoryDialect
    {
        Sqlite,
        Postgres,
    }

    /// <summary>
    /// The history store's schema: one definition, written in both dialects, with its version and the migrations
    /// that bring an older store to it. docs/history.md documents the tables for users who query them.
    /// </summary>
    /// <remarks>
    /// egl_schema: name/value pairs; 'version' is the schema version.
    /// egl_subscriptions: one row per subscription synced: the API, how far back the history was read
    /// (history_start), whether it reached the start of what the API serves (history_complete), the last sync.
    /// egl_days: what the API said of each day, one row per record (the partner API may send a pending and a
    /// final record for one day: seq keeps their order): the index and its letter, or the portal's volume and
    /// signals. egl_revisions: the records a sync replaced (a pending day become final, a correction), with when.
    /// </remarks>
    internal static class HistorySchema
    {
        /// <summary>The schema version this module writes and reads.</summary>
        public const int Version = 1;

        /// <summary>The migrations: <c>Migrations[v - 1]</c> brings a store of version v - 1 (0: empty) to version v.</summary>
        public static IReadOnlyList<string> Migrations(HistoryDialect dialect) => dialect == HistoryDialect.Sqlite ? Sqlite : Postgres;

        private static readonly string[] Sqlite =
        {
            @"
CREATE TABLE egl_schema (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE egl_subscriptions (
    subscription_number INTEGER PRIMARY KEY,
    api TEXT NOT NULL,
    history_start TEXT,
    history_complete INTEGER NOT NULL DEFAULT 0,
    last_sync_at TEXT
);
CREATE TABLE egl_days (
    subscription_number INTEGER NOT NULL,
    day TEXT NOT NULL,
    seq INTEGER NOT NULL,
    index_liters REAL,
    reading_type TEXT NOT NULL,
    raw_type TEXT NOT NULL,
    liters REAL,
    minimum_flow_lph REAL,
    estimated_leak_liters REAL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (subscription_number, day, seq)
) WITHOUT ROWID;
CREATE TABLE egl_revisions (
    revision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_number INTEGER NOT NULL,
    day TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    seq INTEGER NOT NULL,
    index_liters REAL,
    reading_type TEXT NOT NULL,
    raw_type TEXT NOT NULL,
    liters REAL,
    minimum_flow_lph REAL,
    estimated_leak_liters REAL,
    fetched_at TEXT NOT NULL
);
CREATE INDEX egl_revisions_day ON egl_revisions (subscription_number, day);
",
        };

        private static readonly string[] Postgres =
        {
            @"
CREATE TABLE egl_schema (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE egl_subscriptions (
    subscription_number BIGINT PRIMARY KEY,
    api TEXT NOT NULL,
    history_start DATE,
    history_complete BOOLEAN NOT NULL DEFAULT FALSE,
    last_sync_at TIMESTAMPTZ
);
CREATE TABLE egl_days (
    subscription_number BIGINT NOT NULL,
    day DATE NOT NULL,
    seq INTEGER NOT NULL,
    index_liters DOUBLE PRECISION,
    reading_type TEXT NOT NULL,
    raw_type TEXT NOT NULL,
    liters DOUBLE PRECISION,
    minimum_flow_lph DOUBLE PRECISION,
    estimated_leak_liters DOUBLE PRECISION,
    fetched_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscription_number, day, seq)
);
CREATE TABLE egl_revisions (
    revision_id BIGSERIAL PRIMARY KEY,
    subscription_number BIGINT NOT NULL,
    day DATE NOT NULL,
    replaced_at TIMESTAMPTZ NOT NULL,
    seq INTEGER NOT NULL,
    index_liters DOUBLE PRECISION,
    reading_type TEXT NOT NULL,
    raw_type TEXT NOT NULL,
    liters DOUBLE PRECISION,
    minimum_flow_lph DOUBLE PRECISION,
    estimated_leak_liters DOUBLE PRECISION,
    fetched_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX egl_revisions_day ON egl_revisions (subscription_number, day);
",
        };
    }
}
