using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using EglWater;

namespace EglWater.Commands
{
    /// <summary>The default session of each runspace (no process-wide global).</summary>
    internal static class SessionStore
    {
        private sealed class Holder
        {
            public EglSession? Session;
        }

        private static readonly ConditionalWeakTable<Runspace, Holder> Sessions = new ConditionalWeakTable<Runspace, Holder>();

        public static EglSession? Current
        {
            get => Runspace.DefaultRunspace is { } rs && Sessions.TryGetValue(rs, out var h) ? h.Session : null;
            set
            {
                if (Runspace.DefaultRunspace is { } rs) Sessions.GetOrCreateValue(rs).Session = value;
            }
        }
    }
}
