using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace EglWater.Commands
{
    /// <summary>
    /// Tab completion of -SubscriptionNumber: the subscriptions of the session the command would use
    /// (its -Session argument when it is already a session object, else the runspace's current one).
    /// Offline: it never calls the API.
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
            var session = SessionFrom(fakeBoundParameters) ?? SessionStore.Current;
            if (session is null) yield break;
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
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

        private static EglSession? SessionFrom(IDictionary? bound)
        {
            if (bound is null || !bound.Contains("Session")) return null;
            object? value = bound["Session"];
            if (value is PSObject pso) value = pso.BaseObject;
            return value as EglSession;
        }
    }
}
