using System;
using System.IO;
using System.Management.Automation;

namespace EglWater.Commands
{
    /// <summary>Where history stores are: the default one, and a path given to a cmdlet, resolved as PowerShell resolves paths.</summary>
    internal static class HistoryLocation
    {
        /// <summary>The environment variable that names the default store.</summary>
        public const string EnvironmentVariable = "EGLWATER_HISTORY";

        /// <summary>$env:EGLWATER_HISTORY when set, else EglWater/history.db in the user's local application data folder.</summary>
        public static string Default()
        {
            string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured)) return configured!;

            // Create: on Linux and macOS .NET answers "" for a folder that does not exist yet.
            string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
            if (string.IsNullOrEmpty(data)) data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(data, "EglWater", "history.db");
        }

        /// <summary>
        /// A path given to a cmdlet, as a file system path: relative to PowerShell's current location (not the
        /// process's), with ~ and PSDrives. Not a wildcard: a store's name is taken as written.
        /// </summary>
        public static string Resolve(PSCmdlet cmdlet, string path)
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception ex) when (ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is NotSupportedException || ex is ArgumentException || ex is PSInvalidOperationException)
            {
                throw new EglHistoryAccessException(path, "it is not a valid path (" + ex.Message + ")", ex);
            }

            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                throw new EglHistoryAccessException(path, "it is a " + provider.Name + " path, not a file");
            return resolved;
        }
    }
}
