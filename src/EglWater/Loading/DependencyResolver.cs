using System;
using System.IO;
using System.Reflection;

namespace EglWater.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1 (and PowerShell before 7.4, which cannot load the net8.0 isolation helper):
    /// there is no AssemblyLoadContext and no binding redirect, so an AssemblyResolve handler answers for
    /// the module's own dependency names only (a file of that name in the Dependencies folder), whatever
    /// version was asked for. Registered once per process by EglWater.psm1; never on PowerShell 7.4+,
    /// where the module's AssemblyLoadContext resolves its dependencies.
    /// </summary>
    public static class DependencyResolver
    {
        private static readonly object Gate = new object();
        private static string? _directory;

        /// <summary>Where the handler looks: the module's Dependencies folder, once registered.</summary>
        public static string? Directory => _directory;

        public static void Register(string dependencyDirectory)
        {
            lock (Gate)
            {
                if (_directory is not null) return;
                _directory = Path.GetFullPath(dependencyDirectory);
                AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
            }
        }

        private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
        {
            string? directory = _directory;
            if (directory is null) return null;
            string name = new AssemblyName(args.Name).Name ?? string.Empty;
            if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
            string path = Path.Combine(directory, name + ".dll");
            if (!File.Exists(path)) return null;
            foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (!loaded.IsDynamic && string.Equals(loaded.Location, path, StringComparison.OrdinalIgnoreCase)) return loaded;
            }

            return Assembly.LoadFrom(path);
        }
    }
}
