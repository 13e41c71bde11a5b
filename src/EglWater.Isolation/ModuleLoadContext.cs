using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace EglWater.Isolation
{
    /// <summary>
    /// The module's own AssemblyLoadContext (PowerShell 7.4+). EglWater.dll is loaded into it, so its
    /// references resolve here first: a private dependency (Polly.Core, Microsoft.Bcl.TimeProvider: a
    /// file in the Dependencies folder that the runtime and PowerShell do not provide) loads from that
    /// folder into this context, whatever version another module loaded into the default context.
    /// Everything the platform provides (System.Management.Automation, System.Text.Json, System.Memory...)
    /// comes from the default context, so the types PowerShell and the module exchange stay the same types.
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, Assembly> Modules = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        private static readonly Lazy<HashSet<string>> PlatformNames = new Lazy<HashSet<string>>(ReadPlatformNames);

        private readonly string _dependencyDirectory;

        private ModuleLoadContext(string dependencyDirectory)
            : base("EglWater", isCollectible: false)
        {
            _dependencyDirectory = dependencyDirectory;
        }

        /// <summary>
        /// Loads the module assembly (EglWater.dll in <paramref name="moduleDirectory"/>) into the module's
        /// context, once per process and folder: every runspace that imports the module gets the same
        /// assembly, hence the same types.
        /// </summary>
        public static Assembly LoadModule(string moduleDirectory)
        {
            string directory = Path.GetFullPath(moduleDirectory);
            lock (Gate)
            {
                if (!Modules.TryGetValue(directory, out var assembly))
                {
                    var context = new ModuleLoadContext(Path.Combine(directory, "Dependencies"));
                    assembly = context.LoadFromAssemblyPath(Path.Combine(directory, "EglWater.dll"));
                    Modules.Add(directory, assembly);
                }

                return assembly;
            }
        }

        /// <summary>The dependency names this context loads itself (for diagnostics and tests).</summary>
        public IReadOnlyList<string> PrivateDependencies
        {
            get
            {
                var names = new List<string>();
                if (!Directory.Exists(_dependencyDirectory)) return names;
                foreach (var file in Directory.GetFiles(_dependencyDirectory, "*.dll"))
                {
                    string name = Path.GetFileNameWithoutExtension(file);
                    if (!PlatformNames.Value.Contains(name)) names.Add(name);
                }

                names.Sort(StringComparer.Ordinal);
                return names;
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string? name = assemblyName.Name;
            if (string.IsNullOrEmpty(name) || PlatformNames.Value.Contains(name)) return null;
            string path = Path.Combine(_dependencyDirectory, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        /// <summary>The assemblies of the runtime and of PowerShell itself (the trusted platform assemblies).</summary>
        private static HashSet<string> ReadPlatformNames()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
            {
                foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                    names.Add(Path.GetFileNameWithoutExtension(path));
            }

            // PowerShell's own folder, for hosts whose deps.json does not list every file.
            string home = AppContext.BaseDirectory;
            if (Directory.Exists(home))
            {
                foreach (var path in Directory.GetFiles(home, "*.dll")) names.Add(Path.GetFileNameWithoutExtension(path));
            }

            return names;
        }
    }
}
