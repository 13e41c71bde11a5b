using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace EglWater.Store.Sqlite
{
    /// <summary>
    /// Windows PowerShell 5.1 has no AssemblyLoadContext.LoadUnmanagedDll: a [DllImport("e_sqlite3")] searches
    /// powershell.exe's folder, System32 and PATH, never the module. Loading the module's copy by full path first
    /// makes Windows answer the later LoadLibrary("e_sqlite3") with the module already in the process.
    /// On PowerShell 7.4+ the module's AssemblyLoadContext answers instead and this does nothing.
    /// </summary>
    internal static class NativePreload
    {
        public static void EnsureLoaded(string name)
        {
#if NET
            _ = name;
#else
            if (!RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal)) return;
            string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            string directory = Path.GetDirectoryName(typeof(NativePreload).Assembly.Location) ?? ".";
            string path = Path.Combine(directory, "runtimes", "win-" + arch, "native", name + ".dll");
            if (!File.Exists(path)) return; // let the default search report the failure
            if (LoadLibraryExW(path, IntPtr.Zero, LoadWithAlteredSearchPath) == IntPtr.Zero)
            {
                throw new Win32Exception(Marshal.GetLastWin32Error(), "Could not load " + path);
            }
#endif
        }

#if !NET
        private const uint LoadWithAlteredSearchPath = 0x00000008;

        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryExW(string lpLibFileName, IntPtr hFile, uint dwFlags);
#endif
    }
}
