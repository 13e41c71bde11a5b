using System;
using System.Collections.Generic;
using System.Linq;
using EglWater.Api;

namespace EglWater
{
    /// <summary>
    /// A connection made by Connect-Egl. Shows who is connected where, never a secret: the password,
    /// the AuthKey and the token live in non-public state only.
    /// </summary>
    public sealed class EglSession
    {
        internal EglSession(IEglBackend backend, EglEnvironment environment, DateTimeOffset connectedAt)
        {
            Backend = backend;
            Environment = environment;
            ConnectedAt = connectedAt;
        }

        internal IEglBackend Backend { get; }

        /// <summary>The login name.</summary>
        public string UserName => Backend.UserName;

        /// <summary>Production, Recette or Custom (an explicit -BaseUri).</summary>
        public EglEnvironment Environment { get; }

        /// <summary>The API's base URI.</summary>
        public Uri BaseUri => Backend.BaseUri;

        /// <summary>Which EGL API the session talks to: Partner (AuthKey, indexes) or Portal (household login, volumes).</summary>
        public EglApiKind Api => Backend.Api;

        /// <summary>The main subscription (num_abt): the default of the data cmdlets.</summary>
        public long SubscriptionNumber => Backend.SubscriptionNumber;

        /// <summary>Every subscription of the login.</summary>
        public long[] Subscriptions => Backend.Subscriptions.ToArray();

        /// <summary>When Connect-Egl logged in.</summary>
        public DateTimeOffset ConnectedAt { get; }

        public override string ToString() => $"{UserName} @ {BaseUri} ({SubscriptionNumber})";
    }
}
