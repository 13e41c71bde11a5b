#if !NET
using System;
using System.IO;
using System.Reflection;

namespace EglWater.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework): one AppDomain, no AssemblyLoadContext, no binding redirects.
    /// The engine is loaded with LoadFrom from Dependencies (so its references are probed there first), and an
    /// AssemblyResolve handler answers, whatever the version asked for, for the module's own root assembly and
    /// for every file in Dependencies (System.Memory 4.0.1.1 asked, 4.0.1.2 shipped, and such).
    /// This is resolution, not isolation: another module that loaded an older Polly.Core first still wins.
    /// </summary>
    internal static class DesktopResolver
    {
        private static readonly object Gate = new object();
        private static string? _directory;

        internal static Assembly LoadEngine(string dependencyDirectory, string engineName)
        {
            lock (Gate)
            {
                if (_directory == null)
                {
                    _directory = Path.GetFullPath(dependencyDirectory);
                    AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
                }
            }

            return Assembly.LoadFrom(Path.Combine(_directory, engineName + ".dll"));
        }

        private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
        {
            string? directory = _directory;
            if (directory == null) return null;
            string name = new AssemblyName(args.Name).Name ?? string.Empty;
            if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
            Assembly root = typeof(DesktopResolver).Assembly;
            if (string.Equals(name, root.GetName().Name, StringComparison.OrdinalIgnoreCase)) return root;
            string path = Path.Combine(directory, name + ".dll");
            if (!File.Exists(path)) return null;
            foreach (Assembly loaded in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (!loaded.IsDynamic && string.Equals(loaded.Location, path, StringComparison.OrdinalIgnoreCase)) return loaded;
            }

            return Assembly.LoadFrom(path);
        }
    }
}
#endif
