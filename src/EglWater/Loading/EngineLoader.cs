using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using EglWater.Api;

namespace EglWater.Loading
{
    /// <summary>
    /// Creates the backends on first use, never at import: EglWater.Backends.dll and its private dependencies
    /// (Polly.Core, Microsoft.Data.Sqlite, Npgsql...) are loaded from the Dependencies folder beside this
    /// assembly, into the module's own AssemblyLoadContext on PowerShell 7.4+ (net8.0 build), into the
    /// AppDomain with an AssemblyResolve handler on Windows PowerShell 5.1 (netstandard2.0 build).
    /// The root assembly has no compile-time reference to the backends: only <see cref="IEglBackendFactory"/> crosses.
    /// </summary>
    internal static class EngineLoader
    {
        internal const string EngineAssemblyName = "EglWater.Backends";
        private const string BackendTypeName = "EglWater.Api.EglBackendFactory";

        private static readonly object Gate = new object();
        private static IEglBackendFactory? _backend;

        /// <summary>
        /// Replaces the factory (tests that host the assemblies themselves, with no Dependencies folder): the
        /// factory is then the one given, created in the caller's context.
        /// </summary>
        internal static void Use(IEglBackendFactory factory)
        {
            lock (Gate) _backend = factory;
        }

        /// <summary>The module's Dependencies folder (beside this assembly: core/ or desktop/).</summary>
        internal static string DependencyDirectory =>
            Path.Combine(Path.GetDirectoryName(typeof(EngineLoader).Assembly.Location) ?? ".", "Dependencies");

        /// <summary>The backends, created once per process: every runspace shares them.</summary>
        internal static IEglBackendFactory Backends
        {
            get
            {
                var backend = _backend;
                if (backend != null) return backend;
                lock (Gate)
                {
                    if (_backend == null)
                    {
                        Assembly engine = LoadEngineAssembly();
                        Type type = engine.GetType(BackendTypeName, throwOnError: true)!;
                        _backend = (IEglBackendFactory)Activator.CreateInstance(type, nonPublic: true)!;
                    }

                    return _backend;
                }
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Assembly LoadEngineAssembly()
        {
#if NET
            return ModuleLoadContext.LoadEngine(DependencyDirectory, EngineAssemblyName, typeof(EngineLoader).Assembly);
#else
            return DesktopResolver.LoadEngine(DependencyDirectory, EngineAssemblyName);
#endif
        }
    }
}
