using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace EglWater.Commands
{
    /// <summary>
    /// Tab completion of -SubscriptionNumber: the subscriptions of the history store when the command reads one
    /// (-HistoryPath), else those of the session the command would use (its -Session argument when it is
    /// already a session object, else the runspace's current one). Offline: it never calls the API.
    /// </summary>
    public sealed class SubscriptionNumberCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName,
            string parameterName,
            string wordToComplete,
            CommandAst commandAst,
            IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            string? store = commandName is "Sync-EglHistory" ? null : Bound(fakeBoundParameters, "HistoryPath");
            string? database = commandName is "Sync-EglHistory" ? null : Bound(fakeBoundParameters, "ConnectionString");
            if (store is not null || database is not null)
            {
                foreach (long number in StoredSubscriptions(store, database))
                {
                    string text = number.ToString(CultureInfo.InvariantCulture);
                    if (text.StartsWith(prefix, System.StringComparison.Ordinal))
                        yield return new CompletionResult(text, text, CompletionResultType.ParameterValue, $"{text}: subscription in the history store");
                }

                yield break;
            }

            var session = SessionFrom(fakeBoundParameters) ?? SessionStore.Current;
            if (session is null) yield break;
            foreach (long number in session.Subscriptions)
            {
                string text = number.ToString(CultureInfo.InvariantCulture);
                if (!text.StartsWith(prefix, System.StringComparison.Ordinal)) continue;
                string tip = number == session.SubscriptionNumber
                    ? $"{text}: main subscription of {session.UserName}"
                    : $"{text}: subscription of {session.UserName}";
                yield return new CompletionResult(text, text, CompletionResultType.ParameterValue, tip);
            }
        }

        private static string? Bound(IDictionary? bound, string name)
        {
            if (bound is null || !bound.Contains(name)) return null;
            object? value = bound[name];
            if (value is PSObject pso) value = pso.BaseObject;
            return value as string is { Length: > 0 } text ? text : null;
        }

        /// <summary>The subscriptions of a store (a file, or a database reached without -DatabaseCredential), or none when it cannot be read (completion never fails).</summary>
        private static IReadOnlyList<long> StoredSubscriptions(string? path, string? connectionString)
        {
            try
            {
                if (connectionString is not null)
                {
                    using var database = Loading.EngineLoader.Backends.OpenPostgres(connectionString, null, null, write: false);
                    return database.Subscriptions();
                }

                // Relative to PowerShell's current location: completion runs on the pipeline thread, where a script
                // block runs in the current runspace (its SessionStateProxy would refuse: a pipeline is running).
                string full = ScriptBlock.Create("$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])")
                    .Invoke(path).Select(o => o?.BaseObject as string).FirstOrDefault() ?? System.IO.Path.GetFullPath(path!);
                using var store = Loading.EngineLoader.Backends.OpenSqlite(full, write: false);
                return store.Subscriptions();
            }
            catch (System.Exception)
            {
                return System.Array.Empty<long>();
            }
        }

        private static EglSession? SessionFrom(IDictionary? bound)
        {
            if (bound is null || !bound.Contains("Session")) return null;
            object? value = bound["Session"];
            if (value is PSObject pso) value = pso.BaseObject;
            return value as EglSession;
        }
    }
}
