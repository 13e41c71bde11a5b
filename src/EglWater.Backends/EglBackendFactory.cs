using System;
using EglWater.Api.Http;
using EglWater.Api.Partner;
using EglWater.Api.Portal;
using EglWater.Engine.Cost;
using EglWater.Store;
using EglWater.Store.Postgres;
using EglWater.Store.Sqlite;
using EglWater.Tariffs;

namespace EglWater.Api
{
    /// <summary>The backends' entry point, created by name by EglWater.Loading.EngineLoader (once per process).</summary>
    internal sealed class EglBackendFactory : IEglBackendFactory
    {
        public IEglBackend Partner(Uri baseUri, EglCredential credential) => new EglPartnerSession(EglPartnerClient.Default, baseUri, credential);

        public IEglBackend Portal(Uri baseUri, EglCredential credential) => new EglPortalSession(EglTransport.Default, baseUri, credential);

        public IHistoryStore OpenSqlite(string path, bool write) => SqliteHistoryStore.Open(path, write);

        public IHistoryStore OpenPostgres(string connectionString, string? userName, System.Security.SecureString? password, bool write) =>
            PostgresHistoryStore.Open(connectionString, userName, password, write);

        public string DescribePostgres(string connectionString) => PostgresHistoryStore.Describe(connectionString);

        public Tariff ReadTariff(string path) => TariffReader.Read(path);

        public Tariff DefaultTariff() => TariffReader.Default();
    }
}
