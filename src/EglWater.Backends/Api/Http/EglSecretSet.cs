using System;
using System.Collections.Generic;

namespace EglWater.Api.Http
{
    /// <summary>
    /// The secrets a session masks in any server text that reaches a message: a fixed set of named slots
    /// (password, AuthKey, token, authorization code, code verifier, one per cookie name), each keeping its
    /// current and previous value (a server may still echo the previous token). Bounded: it never grows
    /// with the number of requests or renewals. Thread-safe.
    /// </summary>
    internal sealed class EglSecretSet
    {
        /// <summary>At most this many slots (cookie names are the only open-ended kind).</summary>
        public const int MaximumSlots = 32;

        private readonly object _gate = new object();
        private readonly Dictionary<string, (string? Current, string? Previous)> _slots = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);

        /// <summary>Sets a slot's value; the value it had becomes the previous one.</summary>
        public void Set(string slot, string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            lock (_gate)
            {
                if (_slots.TryGetValue(slot, out var held))
                {
                    if (string.Equals(held.Current, value, StringComparison.Ordinal)) return;
                    _slots[slot] = (value, held.Current);
                }
                else if (_slots.Count < MaximumSlots)
                {
                    _slots[slot] = (value, null);
                }
            }
        }

        /// <summary>How many values are held (for tests: bounded whatever the traffic).</summary>
        public int Count
        {
            get
            {
                lock (_gate)
                {
                    int n = 0;
                    foreach (var v in _slots.Values) n += (v.Current is null ? 0 : 1) + (v.Previous is null ? 0 : 1);
                    return n;
                }
            }
        }

        /// <summary>Every value held, plus <paramref name="extra"/> (secrets known only to the caller).</summary>
        public IReadOnlyList<string?> Snapshot(params string?[] extra)
        {
            lock (_gate)
            {
                var list = new List<string?>(extra);
                foreach (var v in _slots.Values)
                {
                    list.Add(v.Current);
                    if (v.Previous is not null) list.Add(v.Previous);
                }

                return list;
            }
        }
    }
}
