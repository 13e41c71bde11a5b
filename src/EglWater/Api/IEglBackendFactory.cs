using System;
using EglWater.Engine.Cost;
using EglWater.Store;

namespace EglWater.Api
{
    /// <summary>
    /// The entry point of the backends assembly (EglWater.Backends.dll: the HTTP clients with Polly, the SQLite and
    /// PostgreSQL stores, the tariff files), created once per process by <see cref="Loading.EngineLoader"/> in the
    /// module's own load context, at first use. Only root and platform types appear here.
    /// </summary>
    internal interface IEglBackendFactory
    {
        /// <summary>A partner API session (not logged in yet).</summary>
        IEglBackend Partner(Uri baseUri, EglCredential credential);

        /// <summary>A customer portal session (not logged in yet).</summary>
        IEglBackend Portal(Uri baseUri, EglCredential credential);

        /// <summary>The history store in a SQLite file: created and upgraded when <paramref name="write"/>, else read only.</summary>
        IHistoryStore OpenSqlite(string path, bool write);

        /// <summary>
        /// The history store in a PostgreSQL database (Npgsql): its schema created and upgraded when
        /// <paramref name="write"/>. The user name and password, when given, replace those of the connection string.
        /// </summary>
        IHistoryStore OpenPostgres(string connectionString, string? userName, System.Security.SecureString? password, bool write);

        /// <summary>A connection string as it may be shown: every secret (Password, passfile contents...) left out.</summary>
        string DescribePostgres(string connectionString);

        /// <summary>A tariff file (JSON).</summary>
        Tariff ReadTariff(string path);

        /// <summary>The shipped Eau du Grand Lyon grid.</summary>
        Tariff DefaultTariff();
    }
}
