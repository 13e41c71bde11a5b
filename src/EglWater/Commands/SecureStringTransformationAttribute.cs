using System;
using System.Management.Automation;
using System.Security;

namespace EglWater.Commands
{
    /// <summary>Lets a secret parameter take a SecureString or a plain string (kept as a SecureString).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is SecureString) return value;
            if (value is string text)
            {
                var secure = new SecureString();
                foreach (char c in text) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            }

            throw new ArgumentTransformationMetadataException("Give the AuthKey as a string or a SecureString.");
        }
    }
}
