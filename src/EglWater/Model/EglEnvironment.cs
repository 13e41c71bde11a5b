using System;

namespace EglWater
{
    /// <summary>The EGL servers the module knows by name.</summary>
    public enum EglEnvironment
    {
        /// <summary>https://agence.eaudugrandlyon.com/ws</summary>
        Production,

        /// <summary>The acceptance server, https://agence-rec.eaudugrandlyon.com</summary>
        Recette,

        /// <summary>A base URI given explicitly (-BaseUri), such as the local simulator.</summary>
        Custom,
    }

}
