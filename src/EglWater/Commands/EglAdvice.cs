using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace EglWater.Commands
{
    /// <summary>
    /// What each error means for PowerShell (its category) and what the user can do about it (RecommendedAction).
    /// The exceptions carry the facts; the advice, which names cmdlets and parameters, lives here only.
    /// </summary>
    internal static class EglAdvice
    {
        private static readonly Dictionary<string, (ErrorCategory Category, string Action)> ById = new Dictionary<string, (ErrorCategory, string)>(StringComparer.Ordinal)
        {
            ["EglAuthenticationFailed"] = (ErrorCategory.AuthenticationError, "Check the login and the password (and the AuthKey for the partner API), then run Connect-Egl again."),
            ["EglApiError"] = (ErrorCategory.InvalidResult, "Check the dates and the subscription number; if it persists, run Connect-Egl again."),
            ["EglInvalidResponse"] = (ErrorCategory.InvalidResult, "The service may be down or have changed its answers; try again later."),
            ["EglConnectionFailed"] = (ErrorCategory.ConnectionError, "Check the network, the proxy and the base URI, then try again; raise -MaximumRetryCount for a flaky link."),
            ["EglTimeout"] = (ErrorCategory.OperationTimeout, "Try again later, or give a larger -TimeoutSec."),
            ["EglNotConnected"] = (ErrorCategory.ConnectionError, "Run Connect-Egl, or pass an open session with -Session."),
            ["EglBlocked"] = (ErrorCategory.ResourceUnavailable, "Wait at least 15 minutes before trying again, and space out scheduled runs: repeated attempts prolong the block."),
            ["EglSessionLimit"] = (ErrorCategory.LimitsExceeded, "Close other sessions (the web site, the app, other scripts: Disconnect-Egl frees one) or wait for them to expire, then run Connect-Egl again."),
            ["EglTariffInvalid"] = (ErrorCategory.InvalidData, "Fix the tariff file (its format is in about_EglWater), or give a flat price with -PricePerCubicMeter."),
            ["EglTariffNotFound"] = (ErrorCategory.ObjectNotFound, "Check the path given to -Tariff."),
            ["EglTariffMissingPeriod"] = (ErrorCategory.InvalidArgument, "Choose a range inside the tariff's periods, give a tariff file that covers it, or give a flat price with -PricePerCubicMeter."),
            ["EglTariffUnknownDiameter"] = (ErrorCategory.InvalidArgument, "Give -MeterDiameter with one of the diameters the tariff knows."),
            ["EglHistoryInvalid"] = (ErrorCategory.InvalidData, "Give the path of an EglWater history store, or a new file name to start one."),
            ["EglHistoryVersion"] = (ErrorCategory.InvalidData, "Use the EglWater version that wrote this store (a newer schema), or run Sync-EglHistory on it to upgrade an older one."),
            ["EglHistoryAccess"] = (ErrorCategory.PermissionDenied, "Check the path and its permissions (a sync writes the file and its folder), or, for PostgreSQL, the login, password, database name and the role's rights on it."),
            ["EglHistoryLocked"] = (ErrorCategory.ResourceBusy, "Another sync is writing to this store: run again when it ends."),
            ["EglHistoryUnavailable"] = (ErrorCategory.ConnectionError, "Check that the database server runs and can be reached (host, port, firewall), then run the command again: a sync goes on from where it stopped."),
            ["EglReportExists"] = (ErrorCategory.ResourceExists, "Give -Force to replace it, or another -Path."),
            ["EglReportWrite"] = (ErrorCategory.WriteError, "Check the path, its folder and its permissions, and the free space."),
            ["EglHistoryApiMismatch"] = (ErrorCategory.InvalidOperation, "Sync this subscription with a session of the API it was stored from, or use another store."),
        };

        /// <summary>The category and the advice of an error id (NotSpecified and no advice for an id it does not know: a test checks every EglException's).</summary>
        public static (ErrorCategory Category, string Action) For(string errorId) =>
            ById.TryGetValue(errorId, out var known) ? known : (ErrorCategory.NotSpecified, string.Empty);

        /// <summary>The error record of a failure: its stable id, its category, the facts, and the advice.</summary>
        public static ErrorRecord RecordFor(EglException ex, object? target, string? message = null)
        {
            var (category, action) = For(ex.ErrorId);
            return new ErrorRecord(ex, ex.ErrorId, category, target)
            {
                ErrorDetails = new ErrorDetails(message ?? ex.Message) { RecommendedAction = action },
            };
        }
    }
}
