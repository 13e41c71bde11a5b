#if NET
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using EglWater.Api;

namespace EglWater.Loading
{
    /// <summary>
    /// The module's own AssemblyLoadContext (PowerShell 7.4+). The engine is loaded into it, so the engine's
    /// references are resolved here first:
    /// <list type="bullet">
    /// <item>the root module (EglWater) is the one PowerShell loaded in the default context: its model types and
    /// the IEglBackend contract must be the same types on both sides;</item>
    /// <item>a file of that name in Dependencies is loaded here (Polly.Core, Npgsql, SQLitePCLRaw.*, ...),
    /// whatever version another module loaded in the default context, unless the runtime or PowerShell provides
    /// that assembly in the same or a higher version than the shipped file (System.Diagnostics.DiagnosticSource
    /// 9.0 shipped for Npgsql: the platform's 10.0 on PowerShell 7.6, the module's 9.0 on 7.4): then the
    /// platform's copy is shared, as it would be in an application;</item>
    /// <item>anything else (the runtime, System.Management.Automation) comes from the default context.</item>
    /// </list>
    /// Native libraries asked for by a DllImport of an assembly of this context (e_sqlite3) are loaded from
    /// Dependencies/runtimes/&lt;rid&gt;/native.
    /// </summary>
    internal sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, ModuleLoadContext> Contexts = new Dictionary<string, ModuleLoadContext>(StringComparer.Ordinal);

        private readonly string _dependencyDirectory;
        private readonly Assembly _root;
        private readonly string _rootName;
        private readonly Lazy<Dictionary<string, string>> _platform = new Lazy<Dictionary<string, string>>(ReadTrustedPlatformAssemblies);
        private readonly Lazy<string[]> _nativeDirectories;
        private readonly Dictionary<string, bool> _platformDecisions = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        private ModuleLoadContext(string dependencyDirectory, Assembly root)
            : base("EglWater", isCollectible: false)
        {
            _dependencyDirectory = dependencyDirectory;
            _root = root;
            _rootName = _root.GetName().Name!;
            _nativeDirectories = new Lazy<string[]>(() => NativeDirectories(dependencyDirectory));
        }

        /// <summary>
        /// Loads the engine into the context of <paramref name="dependencyDirectory"/> (one per folder and process).
        /// <paramref name="root"/> is the module's root assembly (default context), shared with the engine.
        /// </summary>
        internal static Assembly LoadEngine(string dependencyDirectory, string engineName, Assembly root)
        {
            string directory = Path.GetFullPath(dependencyDirectory);
            ModuleLoadContext? context;
            lock (Gate)
            {
                if (!Contexts.TryGetValue(directory, out context))
                {
                    context = new ModuleLoadContext(directory, root);
                    Contexts.Add(directory, context);
                }
            }

            return context.LoadFromAssemblyName(new AssemblyName(engineName));
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string? name = assemblyName.Name;
            if (string.IsNullOrEmpty(name)) return null;
            if (string.Equals(name, _rootName, StringComparison.OrdinalIgnoreCase)) return _root;
            string path = Path.Combine(_dependencyDirectory, name + ".dll");
            if (!File.Exists(path)) return null; // not ours: runtime, PowerShell (default context)
            if (PlatformProvides(name!, path)) return null;
            return LoadFromAssemblyPath(path);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            foreach (string directory in _nativeDirectories.Value)
            {
                foreach (string file in NativeFileNames(unmanagedDllName))
                {
                    string path = Path.Combine(directory, file);
                    if (File.Exists(path)) return LoadUnmanagedDllFromPath(path);
                }
            }

            return IntPtr.Zero; // default probing
        }

        /// <summary>
        /// True when the runtime or PowerShell has an assembly of this name in at least the version of the file the
        /// module ships (NuGet picked that file as the highest version the engine's graph needs). Decided once per
        /// name, whatever version a given reference asks for, so the context never mixes two copies of one name.
        /// Only asked for names that are also in Dependencies (a handful).
        /// </summary>
        private bool PlatformProvides(string name, string shippedPath)
        {
            lock (_platformDecisions)
            {
                if (_platformDecisions.TryGetValue(name, out bool known)) return known;
            }

            bool decision = false;
            if (!_platform.Value.TryGetValue(name, out string? platformPath))
            {
                platformPath = Path.Combine(AppContext.BaseDirectory, name + ".dll"); // PowerShell's own folder
                if (!File.Exists(platformPath)) platformPath = null;
            }

            if (platformPath != null)
            {
                try
                {
                    Version? available = AssemblyName.GetAssemblyName(platformPath).Version;
                    Version? shipped = AssemblyName.GetAssemblyName(shippedPath).Version;
                    decision = available != null && (shipped == null || available >= shipped);
                }
                catch (Exception e) when (e is IOException || e is BadImageFormatException || e is UnauthorizedAccessException)
                {
                    decision = false;
                }
            }

            lock (_platformDecisions)
            {
                _platformDecisions[name] = decision;
            }

            return decision;
        }

        private static Dictionary<string, string> ReadTrustedPlatformAssemblies()
        {
            var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
            {
                foreach (string path in tpa.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                {
                    names[Path.GetFileNameWithoutExtension(path)] = path;
                }
            }

            return names;
        }

        /// <summary>Dependencies/runtimes/&lt;rid&gt;/native for the running platform, most specific first.</summary>
        private static string[] NativeDirectories(string dependencyDirectory)
        {
            var result = new List<string>();
            string os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                : "linux";
            string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(); // x64, x86, arm64, arm
            // The runtime's own RID (linux-musl-x64 on Alpine, for instance), then the portable one.
            AddIfExists(result, dependencyDirectory, RuntimeInformation.RuntimeIdentifier);
            AddIfExists(result, dependencyDirectory, os + "-" + arch);
            return result.ToArray();
        }

        private static void AddIfExists(List<string> list, string dependencyDirectory, string rid)
        {
            string directory = Path.Combine(dependencyDirectory, "runtimes", rid, "native");
            if (Directory.Exists(directory) && !list.Contains(directory)) list.Add(directory);
        }

        private static IEnumerable<string> NativeFileNames(string name)
        {
            yield return name;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                yield return name + ".dll";
            }
            else
            {
                string extension = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? ".dylib" : ".so";
                yield return "lib" + name + extension;
                yield return name + extension;
            }
        }
    }
}
#endif
